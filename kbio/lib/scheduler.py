"""Partnering-meeting scheduler: accepted meetings in, (slot, table) per meeting out.

Pure Python over plain data (no Django import), so it can be tested and benchmarked alone.
The organizer-facing code loads an event's slots, tables, participants and accepted requests,
builds a :class:`Problem` and calls :func:`schedule`.

Hard rules (never broken by a result):
- a participant never has more meetings in one slot than its capacity (1 unless the
  organization sends several delegates);
- a table never holds two meetings in one slot; a host with fixed tables meets only there, so
  it never has more meetings in a slot than it has tables;
- blocked slots and a meeting's allowed sessions are respected;
- pinned (already published) meetings keep their slot and table.

Objective, in order: place as many meetings as possible (the count first, then the priorities
of the placed meetings); spread them fairly (a participant's share of its requests is only
given up for a higher-priority meeting); then fewest breaks, with a cap on the worst
participant's breaks (``Options.fair_breaks``) whenever it can be met. A break is each gap
between two consecutive meetings of one participant on one day, one per group of idle slots.

How it works is described in ``docs/scheduling.md``: a greedy construction, augmenting
chains that move meetings to free a slot, a fairness pass, then break reduction, by large
neighbourhood search over an OR-Tools CP-SAT model on small and medium events and by a fast
local search on large ones.
"""

from __future__ import annotations

import random
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class Slot:
    """One meeting slot. Give slots in chronological order.

    ``day`` groups slots into days: breaks are only counted inside a day. ``session`` names
    the part of the day (e.g. ``"am"``/``"pm"``) that a meeting may be restricted to.
    """

    id: Hashable
    day: Hashable = 1
    session: Hashable = None


@dataclass(frozen=True)
class Participant:
    """An organization attending the event.

    ``capacity`` is how many meetings it can hold in one slot (its number of delegates).
    ``tables`` are fixed host tables: all its meetings then happen there, and it cannot have
    more meetings in a slot than it has tables.
    """

    id: Hashable
    capacity: int = 1
    blocked: frozenset = frozenset()
    tables: tuple = ()
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or str(self.id)


@dataclass(frozen=True)
class Meeting:
    """A meeting to place between participants ``a`` and ``b``.

    A higher ``priority`` (e.g. the match score) is placed first when not everything fits.
    ``sessions``, when given, restricts the meeting to slots whose session or day is one of
    these labels.
    """

    id: Hashable
    a: Hashable
    b: Hashable
    priority: float = 0.0
    sessions: frozenset | None = None


@dataclass(frozen=True)
class Pinned:
    """An already published meeting that must stay at its slot and table."""

    meeting: Hashable
    slot: Hashable
    table: Hashable


@dataclass(frozen=True)
class Problem:
    slots: Sequence[Slot]
    # Either a number of tables (ids 1..n) or the table ids.
    tables: int | Sequence[Hashable]
    participants: Sequence[Participant]
    meetings: Sequence[Meeting]
    pinned: Sequence[Pinned] = ()


@dataclass(frozen=True)
class Options:
    """How hard to work.

    ``effort`` is a deterministic work budget for break reduction (roughly seconds of solver
    work on one core); with the same ``seed`` and ``effort`` the result is the same.
    ``time_limit`` is a wall-clock safety cap (seconds) on the whole run; when it cuts the
    search short the result may depend on machine speed. ``fair_breaks`` is the most breaks
    any participant should get when that can be achieved (the literature uses 2).
    """

    seed: int = 0
    effort: float = 10.0
    time_limit: float = 60.0
    fair_breaks: int = 2
    # Events up to this many (meeting, slot) pairs are improved with the CP-SAT model;
    # larger ones with the local search only.
    exact_model_limit: int = 20_000


class SchedulingInputError(ValueError):
    """The problem description is inconsistent (unknown ids, clashing pinned meetings...)."""


# --------------------------------------------------------------------------------------------
# Output

# Why a meeting was left out, as a code (for translated messages) and English words.
NEVER_BOTH_FREE = "never_both_free"
OVERBOOKED = "overbooked"
NO_COMMON_SLOT_LEFT = "no_common_slot_left"
NO_TABLE_FREE = "no_table_free"


@dataclass(frozen=True)
class Unplaced:
    meeting: Hashable
    reason: str
    message: str
    # The participant the reason is about, when there is one.
    participant: Hashable = None


@dataclass(frozen=True)
class ParticipantFigures:
    requested: int
    placed: int
    breaks: int


@dataclass
class Report:
    requested: int
    placed: int
    upper_bound: int
    unplaced: list[Unplaced]
    breaks: int
    worst_breaks: int
    seconds: float
    participants: dict[Hashable, ParticipantFigures]
    # Sum of the priorities of the placed meetings.
    placed_priority: float = 0.0
    # Lower bound on the breaks proven by the solver (None when not computed).
    breaks_lower_bound: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Result:
    # meeting id -> (slot id, table id), for every placed meeting (pinned ones included).
    placements: dict[Hashable, tuple[Hashable, Hashable]]
    report: Report


# --------------------------------------------------------------------------------------------
# Compiled form: everything as small integers and slot bitmasks.


class _Event:
    """The problem as indices; slot sets are Python ints used as bitmasks."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.warnings: list[str] = []
        self.slot_ids = [s.id for s in problem.slots]
        self.slot_index = _index(self.slot_ids, "slot")
        self.T = T = len(self.slot_ids)
        if T == 0:
            raise SchedulingInputError("the event has no slots")
        self.all_slots = (1 << T) - 1
        days = [s.day for s in problem.slots]
        self.same_day_prev = 0
        for t in range(1, T):
            if days[t] == days[t - 1]:
                self.same_day_prev |= 1 << t
        self.day_masks: list[int] = []
        for t in range(T):
            if t == 0 or days[t] != days[t - 1]:
                self.day_masks.append(0)
            self.day_masks[-1] |= 1 << t
        if len({days[t] for t in range(T)}) != len(self.day_masks):
            raise SchedulingInputError("the slots of a day must follow each other")
        self.single_day = len(self.day_masks) == 1

        if isinstance(problem.tables, int):
            self.table_ids = list(range(1, problem.tables + 1))
        else:
            self.table_ids = list(problem.tables)
        self.table_index = _index(self.table_ids, "table")

        self.part_ids = [p.id for p in problem.participants]
        self.part_index = _index(self.part_ids, "participant")
        P = len(self.part_ids)
        self.labels = [p.label for p in problem.participants]
        self.cap = [0] * P
        self.avail = [0] * P
        self.host_tables: list[list[int]] = [[] for _ in range(P)]
        owner: dict[int, int] = {}
        for i, p in enumerate(problem.participants):
            if p.capacity < 1:
                raise SchedulingInputError(f"{p.label}: capacity must be at least 1")
            blocked = 0
            for s in p.blocked:
                if s not in self.slot_index:
                    raise SchedulingInputError(f"{p.label}: blocked slot {s!r} does not exist")
                blocked |= 1 << self.slot_index[s]
            self.avail[i] = self.all_slots & ~blocked
            for table in p.tables:
                if table not in self.table_index:
                    raise SchedulingInputError(f"{p.label}: table {table!r} does not exist")
                k = self.table_index[table]
                if k in owner and owner[k] != i:
                    other = self.labels[owner[k]]
                    raise SchedulingInputError(
                        f"table {table!r} is the fixed table of both {other} and {p.label}"
                    )
                owner[k] = i
                if k not in self.host_tables[i]:
                    self.host_tables[i].append(k)
            self.cap[i] = p.capacity
            if self.host_tables[i]:
                self.cap[i] = min(p.capacity, len(self.host_tables[i]))
        self.table_owner = owner
        self.pool_tables = [k for k in range(len(self.table_ids)) if k not in owner]

        session_masks: dict[Hashable, int] = {}
        for t, s in enumerate(problem.slots):
            for label in {s.session, s.day}:
                session_masks[label] = session_masks.get(label, 0) | (1 << t)

        self.meeting_ids = [m.id for m in problem.meetings]
        self.meeting_index = _index(self.meeting_ids, "meeting")
        M = len(self.meeting_ids)
        self.ma = [0] * M
        self.mb = [0] * M
        self.prio = [0.0] * M
        self.session_ok = [0] * M
        self.allowed = [0] * M
        self.pool = [True] * M
        self.meetings_of: list[list[int]] = [[] for _ in range(P)]
        for j, m in enumerate(problem.meetings):
            for who in (m.a, m.b):
                if who not in self.part_index:
                    raise SchedulingInputError(f"meeting {m.id!r}: unknown participant {who!r}")
            a, b = self.part_index[m.a], self.part_index[m.b]
            if a == b:
                raise SchedulingInputError(f"meeting {m.id!r}: a participant cannot meet itself")
            self.ma[j], self.mb[j] = a, b
            self.prio[j] = float(m.priority)
            ok = self.all_slots
            if m.sessions is not None:
                ok = 0
                for label in m.sessions:
                    ok |= session_masks.get(label, 0)
            self.session_ok[j] = ok
            self.allowed[j] = ok & self.avail[a] & self.avail[b]
            self.pool[j] = not (self.host_tables[a] or self.host_tables[b])
            self.meetings_of[a].append(j)
            self.meetings_of[b].append(j)

        # Pinned meetings: slot and table fixed.
        self.pinned_slot: dict[int, int] = {}
        self.pinned_table: dict[int, int] = {}
        seen: dict[tuple[int, int], int] = {}
        for pin in problem.pinned:
            if pin.meeting not in self.meeting_index:
                raise SchedulingInputError(f"pinned meeting {pin.meeting!r} does not exist")
            if pin.slot not in self.slot_index:
                raise SchedulingInputError(
                    f"pinned meeting {pin.meeting!r}: slot {pin.slot!r} does not exist"
                )
            if pin.table not in self.table_index:
                raise SchedulingInputError(
                    f"pinned meeting {pin.meeting!r}: table {pin.table!r} does not exist"
                )
            j = self.meeting_index[pin.meeting]
            if j in self.pinned_slot:
                raise SchedulingInputError(f"meeting {pin.meeting!r} is pinned twice")
            t, k = self.slot_index[pin.slot], self.table_index[pin.table]
            a, b = self.ma[j], self.mb[j]
            if self.pool[j]:
                if k in owner:
                    raise SchedulingInputError(
                        f"pinned meeting {pin.meeting!r} is at the fixed table of "
                        f"{self.labels[owner[k]]}, who is not in it"
                    )
            elif k not in self.host_tables[a] and k not in self.host_tables[b]:
                raise SchedulingInputError(
                    f"pinned meeting {pin.meeting!r} is not at its host's fixed table"
                )
            if (t, k) in seen:
                raise SchedulingInputError(
                    f"pinned meetings {self.meeting_ids[seen[t, k]]!r} and {pin.meeting!r} "
                    f"share table {pin.table!r} in slot {pin.slot!r}"
                )
            seen[t, k] = j
            self.pinned_slot[j] = t
            self.pinned_table[j] = k
            for p in (a, b):
                if not (self.avail[p] >> t) & 1:
                    self.warnings.append(
                        f"published meeting {pin.meeting!r} stays in slot {pin.slot!r}, "
                        f"which {self.labels[p]} has since blocked"
                    )
            if not (self.session_ok[j] >> t) & 1:
                self.warnings.append(
                    f"published meeting {pin.meeting!r} stays in slot {pin.slot!r}, "
                    f"outside its allowed sessions"
                )
        load: dict[tuple[int, int], int] = {}
        for j, t in self.pinned_slot.items():
            for p in (self.ma[j], self.mb[j]):
                load[p, t] = load.get((p, t), 0) + 1
                if load[p, t] > self.cap[p]:
                    raise SchedulingInputError(
                        f"{self.labels[p]} has more pinned meetings in slot "
                        f"{self.slot_ids[t]!r} than it can attend"
                    )
        self.pool_cap = [len(self.pool_tables)] * T
        for (t, k), _j in seen.items():
            if k not in owner:
                self.pool_cap[t] -= 1

    def breaks(self, mask: int) -> int:
        if not mask:
            return 0
        starts = mask & ~((mask << 1) & self.same_day_prev)
        if self.single_day:
            return starts.bit_count() - 1
        days = 0
        for dm in self.day_masks:
            if mask & dm:
                days += 1
        return starts.bit_count() - days


def _index(ids: Iterable[Hashable], what: str) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for i, x in enumerate(ids):
        if x in index:
            raise SchedulingInputError(f"{what} id {x!r} appears twice")
        index[x] = i
    return index


# --------------------------------------------------------------------------------------------
# Mutable schedule state


class _State:
    """Slot of every meeting plus the loads needed to test a move in constant time."""

    def __init__(self, ev: _Event):
        self.ev = ev
        P, T = len(ev.part_ids), ev.T
        self.slot = [-1] * len(ev.meeting_ids)
        self.load = [[0] * T for _ in range(P)]
        # Slots where the participant has room for one more meeting.
        self.free = [ev.all_slots] * P
        # Slots where the participant has at least one meeting.
        self.busy = [0] * P
        # Meetings of each participant by slot.
        self.at: list[dict[int, list[int]]] = [{} for _ in range(P)]
        self.pool_load = [0] * T
        self.pool_at: list[set[int]] = [set() for _ in range(T)]
        self.pool_free = 0
        for t in range(T):
            if ev.pool_cap[t] > 0:
                self.pool_free |= 1 << t
        self.placed = 0

    def copy_slots(self) -> list[int]:
        return list(self.slot)

    def place(self, j: int, t: int) -> None:
        ev = self.ev
        self.slot[j] = t
        bit = 1 << t
        for p in (ev.ma[j], ev.mb[j]):
            n = self.load[p][t] + 1
            self.load[p][t] = n
            if n >= ev.cap[p]:
                self.free[p] &= ~bit
            self.busy[p] |= bit
            self.at[p].setdefault(t, []).append(j)
        if ev.pool[j]:
            self.pool_load[t] += 1
            self.pool_at[t].add(j)
            if self.pool_load[t] >= ev.pool_cap[t]:
                self.pool_free &= ~bit
        self.placed += 1

    def remove(self, j: int) -> None:
        ev = self.ev
        t = self.slot[j]
        self.slot[j] = -1
        bit = 1 << t
        for p in (ev.ma[j], ev.mb[j]):
            n = self.load[p][t] - 1
            self.load[p][t] = n
            self.free[p] |= bit
            if n == 0:
                self.busy[p] &= ~bit
            lst = self.at[p][t]
            lst.remove(j)
            if not lst:
                del self.at[p][t]
        if ev.pool[j]:
            self.pool_load[t] -= 1
            self.pool_at[t].discard(j)
            self.pool_free |= bit
        self.placed -= 1

    def open_slots(self, j: int) -> int:
        """Slots where meeting j could go right now without moving anything."""
        ev = self.ev
        mask = ev.allowed[j] & self.free[ev.ma[j]] & self.free[ev.mb[j]]
        if ev.pool[j]:
            mask &= self.pool_free
        return mask

    def total_breaks(self) -> int:
        return sum(self.ev.breaks(m) for m in self.busy)


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


# --------------------------------------------------------------------------------------------
# Construction


def _slot_choice(st: _State, j: int, mask: int) -> int:
    """Among open slots, the one that adds the fewest breaks and keeps days compact."""
    ev = st.ev
    a, b = ev.ma[j], ev.mb[j]
    ba, bb = st.busy[a], st.busy[b]
    base = ev.breaks(ba) + ev.breaks(bb)
    best, best_key = -1, None
    for t in _bits(mask):
        bit = 1 << t
        delta = ev.breaks(ba | bit) + ev.breaks(bb | bit) - base
        # Prefer touching an existing block of each participant, then a less loaded slot.
        near = (bit << 1) | (bit >> 1)
        touch = ((ba & near) != 0) + ((bb & near) != 0)
        key = (delta, -touch, st.pool_load[t] if ev.pool[j] else 0, t)
        if best_key is None or key < best_key:
            best, best_key = t, key
    return best


def _construct(st: _State, order: list[int]) -> None:
    for j in order:
        mask = st.open_slots(j)
        if mask:
            st.place(j, _slot_choice(st, j, mask))


def _greedy_order(ev: _Event, rng: random.Random) -> list[int]:
    """Higher priority first; inside a priority, the most constrained meetings first."""
    M = len(ev.meeting_ids)
    demand = [0] * len(ev.part_ids)
    for j in range(M):
        demand[ev.ma[j]] += 1
        demand[ev.mb[j]] += 1
    slack = [ev.avail[p].bit_count() * ev.cap[p] - demand[p] for p in range(len(demand))]
    keys = {}
    for j in range(M):
        if j in ev.pinned_slot:
            continue
        a, b = ev.ma[j], ev.mb[j]
        keys[j] = (
            -ev.prio[j],
            min(slack[a], slack[b]),
            ev.allowed[j].bit_count(),
            -(demand[a] + demand[b]),
            rng.random(),
        )
    return sorted(keys, key=keys.__getitem__)


# --------------------------------------------------------------------------------------------
# Augmenting chains: place a meeting by moving others out of its way.


class _Augmenter:
    """Depth-limited search for a chain of moves that makes room for one more meeting.

    Putting meeting j in slot t may need one meeting moved away per full resource (each
    participant's capacity, the shared tables); each moved meeting is then placed the same way.
    This generalizes the alternating (Kempe) chains of edge colouring to capacities, blocked
    slots and tables. Every change is journaled so a failed branch is rolled back exactly.
    """

    def __init__(self, st: _State, rng: random.Random, node_budget: int = 400):
        self.st = st
        self.rng = rng
        self.node_budget = node_budget
        self.nodes = 0
        self.log: list[tuple[int, int]] = []

    def _put(self, j: int, t: int) -> None:
        self.st.place(j, t)
        self.log.append((j, -1))

    def _take(self, j: int) -> None:
        self.log.append((j, self.st.slot[j]))
        self.st.remove(j)

    def _rollback(self, mark: int) -> None:
        st = self.st
        while len(self.log) > mark:
            j, t = self.log.pop()
            if t < 0:
                st.remove(j)
            else:
                st.place(j, t)

    def place(self, j: int, depth: int) -> bool:
        self.nodes = 0
        self.log.clear()
        ok = self._place(j, depth, {j}, -1)
        self.log.clear()
        return ok

    def _blockers(self, j: int, t: int) -> list[int] | None:
        """Meetings to move out of slot t so that j fits there (one per full resource)."""
        st, ev = self.st, self.st.ev
        out: list[int] = []
        for p in (ev.ma[j], ev.mb[j]):
            if st.load[p][t] >= ev.cap[p]:
                movable = [k for k in st.at[p][t] if k not in ev.pinned_slot and k not in out]
                if not movable:
                    return None
                out.append(self.rng.choice(movable))
        if ev.pool[j] and st.pool_load[t] - sum(1 for k in out if ev.pool[k]) >= ev.pool_cap[t]:
            movable = [k for k in st.pool_at[t] if k not in ev.pinned_slot and k not in out]
            if not movable:
                return None
            out.append(self.rng.choice(movable))
        return out

    def _place(self, j: int, depth: int, chain: set[int], avoid: int) -> bool:
        st, ev = self.st, self.st.ev
        allowed = ev.allowed[j]
        if avoid >= 0:
            allowed &= ~(1 << avoid)
        mask = st.open_slots(j) & allowed
        if mask:
            self._put(j, _slot_choice(st, j, mask))
            return True
        if depth == 0:
            return False
        cands = _bits(allowed)
        self.rng.shuffle(cands)
        options = []
        for t in cands:
            blockers = self._blockers(j, t)
            if blockers is None or any(k in chain for k in blockers):
                continue
            if len(blockers) == 1 or (len(blockers) == 2 and depth >= 2):
                options.append((len(blockers), t, blockers))
        options.sort(key=lambda o: o[0])
        for _n, t, blockers in options:
            self.nodes += 1
            if self.nodes > self.node_budget:
                return False
            mark = len(self.log)
            for k in blockers:
                self._take(k)
            self._put(j, t)
            chain.update(blockers)
            if all(self._place(k, depth - 1, chain, t) for k in blockers):
                return True
            self._rollback(mark)
            chain.difference_update(blockers)
        return False


def _repair(st: _State, ev: _Event, rng: random.Random, deadline: float) -> None:
    """Try to place every unplaced meeting with augmenting chains of growing depth."""
    aug = _Augmenter(st, rng)
    for depth, budget in ((2, 60), (4, 300), (8, 2000), (14, 6000)):
        aug.node_budget = budget
        todo = [j for j in range(len(ev.meeting_ids)) if st.slot[j] < 0 and ev.allowed[j]]
        if not todo:
            return
        todo.sort(key=lambda j: -ev.prio[j])
        for j in todo:
            if time.perf_counter() > deadline:
                return
            if st.slot[j] < 0:
                aug.place(j, depth)


# --------------------------------------------------------------------------------------------
# Break reduction with CP-SAT: the whole event when small, else neighbourhoods of it.

# Weight of each break above the fairness cap, against 1 per break.
_UNFAIR_WEIGHT = 50


def _unfair_excess(ev: _Event, mask: int, fair: int) -> int:
    return max(0, ev.breaks(mask) - fair)


def _cost(ev: _Event, st: _State, fair: int) -> int:
    total = 0
    for mask in st.busy:
        b = ev.breaks(mask)
        total += b + _UNFAIR_WEIGHT * max(0, b - fair)
    return total


class _SubModel:
    """CP-SAT model placing the ``free`` meetings while every other meeting stays put.

    The objective is the break cost of the participants the free meetings touch. Busy
    indicators get the implied constraints of Bofill et al. (each participant is busy in
    exactly as many slots as it has meetings; busy participants per slot are bounded by the
    tables), which make the solver's reasoning on breaks much stronger.
    """

    def __init__(self, ev: _Event, st: _State, free: list[int], fair: int):
        from ortools.sat.python import cp_model

        self.ev, self.st, self.free = ev, st, free
        self.old = {j: st.slot[j] for j in free}
        for j in free:
            st.remove(j)
        model = self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], object] = {}
        by_part: dict[int, list[int]] = {}
        for j in free:
            a, b = ev.ma[j], ev.mb[j]
            mask = ev.allowed[j] & st.free[a] & st.free[b]
            if ev.pool[j]:
                mask &= st.pool_free
            mask |= 1 << self.old[j]
            lits = []
            for t in _bits(mask):
                v = model.NewBoolVar("")
                self.x[j, t] = v
                lits.append(v)
                model.AddHint(v, t == self.old[j])
            model.AddExactlyOne(lits)
            by_part.setdefault(a, []).append(j)
            by_part.setdefault(b, []).append(j)

        pool_terms: dict[int, list] = {}
        for (j, t), v in self.x.items():
            if ev.pool[j]:
                pool_terms.setdefault(t, []).append(v)
        for t, terms in pool_terms.items():
            room = ev.pool_cap[t] - st.pool_load[t]
            if len(terms) > room:
                model.Add(sum(terms) <= room)

        cost_terms = []
        self.const = 0
        for p, js in by_part.items():
            y = []
            n_free_busy = 0
            for t in range(ev.T):
                terms = [self.x[j, t] for j in js if (j, t) in self.x]
                if (st.busy[p] >> t) & 1:
                    room = ev.cap[p] - st.load[p][t]
                    if len(terms) > room:
                        model.Add(sum(terms) <= room)
                    y.append(1)
                    continue
                if not terms:
                    y.append(0)
                    continue
                v = model.NewBoolVar("")
                if ev.cap[p] == 1:
                    model.Add(sum(terms) == v)
                else:
                    if len(terms) > ev.cap[p]:
                        model.Add(sum(terms) <= ev.cap[p])
                    for term in terms:
                        model.AddImplication(term, v)
                    model.AddBoolOr(terms).OnlyEnforceIf(v)
                v_hint = any(self.old[j] == t for j in js)
                model.AddHint(v, v_hint)
                y.append(v)
                n_free_busy += 1
            if ev.cap[p] == 1:
                # Implied: busy in exactly as many free slots as it has free meetings.
                model.Add(sum(v for v in y if not isinstance(v, int)) == len(js))
            blocks = []
            days = 0
            day_terms = []
            for dm in ev.day_masks:
                ts = _bits(dm)
                ys = [y[t] for t in ts]
                if any(isinstance(v, int) and v == 1 for v in ys):
                    days += 1
                else:
                    var_ys = [v for v in ys if not isinstance(v, int)]
                    if var_ys:
                        d = model.NewBoolVar("")
                        model.AddBoolOr(var_ys).OnlyEnforceIf(d)
                        model.AddHint(d, any(self.old[j] in ts for j in js))
                        day_terms.append(d)
                prev = 0
                for t in ts:
                    cur = y[t]
                    if isinstance(cur, int):
                        if cur == 1 and isinstance(prev, int) and prev == 0:
                            blocks.append(1)
                        elif cur == 1 and not isinstance(prev, int):
                            s = model.NewBoolVar("")
                            model.Add(s >= 1 - prev)
                            model.AddHint(s, not self._hint_busy(p, js, t - 1))
                            blocks.append(s)
                    else:
                        if isinstance(prev, int):
                            if prev == 0:
                                blocks.append(cur)
                        else:
                            s = model.NewBoolVar("")
                            model.Add(s >= cur - prev)
                            model.AddHint(
                                s,
                                self._hint_busy(p, js, t) and not self._hint_busy(p, js, t - 1),
                            )
                            blocks.append(s)
                    prev = cur
            breaks = model.NewIntVar(0, ev.T, "")
            model.Add(breaks == sum(blocks) - days - sum(day_terms))
            excess = model.NewIntVar(0, ev.T, "")
            model.Add(excess >= breaks - fair)
            cost_terms.append(breaks)
            cost_terms.append(_UNFAIR_WEIGHT * excess)
        self.cost = sum(cost_terms)
        self.old_cost = sum(
            ev.breaks(self._hint_mask(p, js))
            + _UNFAIR_WEIGHT * max(0, ev.breaks(self._hint_mask(p, js)) - fair)
            for p, js in by_part.items()
        )
        model.Add(self.cost <= self.old_cost)
        model.Minimize(self.cost)

    def _hint_busy(self, p: int, js: list[int], t: int) -> bool:
        return bool((self.st.busy[p] >> t) & 1) or any(self.old[j] == t for j in js)

    def _hint_mask(self, p: int, js: list[int]) -> int:
        mask = self.st.busy[p]
        for j in js:
            mask |= 1 << self.old[j]
        return mask

    def solve(self, det_time: float, seed: int, workers: int = 1):
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.max_deterministic_time = det_time
        prm.num_workers = workers
        prm.random_seed = seed
        # Full linear relaxation: an order of magnitude faster on these models.
        prm.linearization_level = 2
        status = solver.Solve(self.model)
        improved = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = {}
            for (j, t), v in self.x.items():
                if solver.BooleanValue(v):
                    new[j] = t
            for j in self.free:
                self.st.place(j, new[j])
            improved = int(solver.ObjectiveValue()) < self.old_cost
            optimal = status == cp_model.OPTIMAL
        else:
            for j in self.free:
                self.st.place(j, self.old[j])
            optimal = False
        return improved, optimal, solver.deterministic_time, int(solver.BestObjectiveBound())
