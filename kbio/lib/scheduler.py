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
chains that move meetings to free a slot, a fairness pass, then break reduction: a local
search on any size, and on small and medium events a MaxSAT model (RC2 from python-sat)
that proves the fewest breaks, with a MaxSAT neighbourhood search when the proof takes too
long. OR-Tools provides the upper bound (a maximum flow) and exact placement when small
events are over-subscribed (CP-SAT).
"""

from __future__ import annotations

import os
import pickle
import random
import select
import signal
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

    ``effort`` is the budget of the break search: about one second of MaxSAT solver time per
    unit on small and medium events, and a work budget (passes, counted, not timed) for the
    local search of large ones, whose result is then the same for the same ``seed``.
    ``time_limit`` is a wall-clock safety cap (seconds) on the whole run; when it cuts the
    search short the result may depend on machine speed. ``fair_breaks`` is the most breaks
    any participant should get when that can be achieved (the literature uses 2).
    ``workers=2`` runs the whole-event break solver beside the neighbourhood search instead
    of before it.
    """

    seed: int = 0
    effort: float = 10.0
    time_limit: float = 60.0
    fair_breaks: int = 2
    # Events up to this many (meeting, slot) pairs are improved with the CP-SAT model;
    # larger ones with the local search only.
    exact_model_limit: int = 20_000
    # Processes for the break search of small and medium events (1 or 2).
    workers: int = 1


class SchedulingInputError(ValueError):
    """The problem description is inconsistent (unknown ids, clashing pinned meetings...)."""


# --------------------------------------------------------------------------------------------
# Output

# Why a meeting was left out: a code, with parameters, that the caller puts into words.
NEVER_BOTH_FREE = "never_both_free"
# The two are free together, but never in the sessions the meeting is allowed in.
NOT_FREE_IN_SESSIONS = "not_free_in_sessions"
# params: meetings (the participant's), free (the meetings its free slots can hold)
OVERBOOKED = "overbooked"
NO_COMMON_SLOT_LEFT = "no_common_slot_left"
NO_TABLE_FREE = "no_table_free"

# What the report notes, as codes.
PLACED_PROVEN_MOST = "placed_proven_most"
BREAKS_PROVEN_FEWEST = "breaks_proven_fewest"
# params: meeting, slot, participant (who has since blocked the slot)
PINNED_IN_BLOCKED_SLOT = "pinned_in_blocked_slot"
# params: meeting, slot
PINNED_OUTSIDE_SESSIONS = "pinned_outside_sessions"


@dataclass(frozen=True)
class Unplaced:
    meeting: Hashable
    reason: str
    # The participant the reason is about, when there is one.
    participant: Hashable = None
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    code: str
    params: dict = field(default_factory=dict)


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
    notes: list[Note] = field(default_factory=list)


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
        self.warnings: list[Note] = []
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
                    who = self.part_ids[p]
                    params = {"meeting": pin.meeting, "slot": pin.slot, "participant": who}
                    self.warnings.append(Note(PINNED_IN_BLOCKED_SLOT, params))
            if not (self.session_ok[j] >> t) & 1:
                self.warnings.append(
                    Note(PINNED_OUTSIDE_SESSIONS, {"meeting": pin.meeting, "slot": pin.slot})
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
        # When set, a moved meeting may also stay out if another unplaced meeting of its
        # participants takes the room it leaves (the chain still gains one meeting).
        self.allow_swap_out = False

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
            if all(self._settle(k, j, depth - 1, chain, t) for k in blockers):
                return True
            self._rollback(mark)
            chain.difference_update(blockers)
        return False

    def _settle(self, k: int, j: int, depth: int, chain: set[int], avoid: int) -> bool:
        """Re-place meeting k, moved out for j; or leave it out and place instead another
        unplaced meeting of a participant of k that j does not use."""
        if self._place(k, depth, chain, avoid):
            return True
        if not self.allow_swap_out:
            return False
        st, ev = self.st, self.st.ev
        for p in (ev.ma[k], ev.mb[k]):
            if p == ev.ma[j] or p == ev.mb[j]:
                continue
            for k2 in ev.meetings_of[p]:
                if st.slot[k2] >= 0 or k2 in chain or not ev.allowed[k2]:
                    continue
                if self.nodes > self.node_budget:
                    return False
                chain.add(k2)
                if self._place(k2, depth, chain, -1):
                    return True
                chain.discard(k2)
        return False


def _saturated(st: _State, ev: _Event, p: int) -> bool:
    """No room left in any slot the participant can attend."""
    return not (st.free[p] & ev.avail[p])


def _repair(st: _State, ev: _Event, rng: random.Random, deadline: float) -> None:
    """Try to place every unplaced meeting with augmenting chains of growing depth.

    Work is bounded by node budgets (deterministic); the deadline is only a safety net.
    """
    aug = _Augmenter(st, rng)
    aug.allow_swap_out = True
    for depth, budget in ((2, 40), (4, 200), (8, 1000), (14, 4000)):
        aug.node_budget = budget
        before = st.placed
        todo = [j for j in range(len(ev.meeting_ids)) if st.slot[j] < 0 and ev.allowed[j]]
        if not todo:
            return
        todo.sort(key=lambda j: -ev.prio[j])
        for j in todo:
            if time.perf_counter() > deadline:
                return
            if st.slot[j] >= 0:
                continue
            if _saturated(st, ev, ev.ma[j]) and _saturated(st, ev, ev.mb[j]):
                continue
            aug.place(j, depth)
        if st.placed == before:
            return


# --------------------------------------------------------------------------------------------
# Exact placement for small events: CP-SAT maximises the placed meetings.

# Priorities are scaled to integers 0.._PRIORITY_SCALE for the solver; a placed meeting is
# worth more than all priorities together, so the count always comes first.
_PRIORITY_SCALE = 100


def _priority_weights(ev: _Event) -> list[int]:
    lo, hi = min(ev.prio, default=0.0), max(ev.prio, default=0.0)
    span = hi - lo
    if span <= 0:
        return [0] * len(ev.prio)
    return [round((p - lo) / span * _PRIORITY_SCALE) for p in ev.prio]


def _place_exactly(ev: _Event, st: _State, seed: int, seconds: float) -> bool:
    """Maximise (placed count, priorities) with CP-SAT, starting from the current schedule.

    Returns True when the solver proved the placement optimal. The current schedule is kept
    unless the solver finds a better one.
    """
    from ortools.sat.python import cp_model

    M = len(ev.meeting_ids)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    by_pt: dict[tuple[int, int], list] = {}
    pool_t: dict[int, list] = {}
    placed_vars = []
    prio_w = _priority_weights(ev)
    big = _PRIORITY_SCALE * M + 1
    for j in range(M):
        slots = [ev.pinned_slot[j]] if j in ev.pinned_slot else _bits(ev.allowed[j])
        if not slots:
            continue
        lits = []
        for t in slots:
            v = model.NewBoolVar("")
            x[j, t] = v
            lits.append(v)
            model.AddHint(v, st.slot[j] == t)
            by_pt.setdefault((ev.ma[j], t), []).append(v)
            by_pt.setdefault((ev.mb[j], t), []).append(v)
            if ev.pool[j]:
                pool_t.setdefault(t, []).append(v)
        if j in ev.pinned_slot:
            model.Add(lits[0] == 1)
            continue
        placed = model.NewBoolVar("")
        model.Add(sum(lits) == placed)
        model.AddHint(placed, st.slot[j] >= 0)
        placed_vars.append((big + prio_w[j], placed))
    for (p, _t), lits in by_pt.items():
        if len(lits) > ev.cap[p]:
            model.Add(sum(lits) <= ev.cap[p])
    n_pool = len(ev.pool_tables)
    for lits in pool_t.values():
        if len(lits) > n_pool:
            model.Add(sum(lits) <= n_pool)
    model.Maximize(sum(w * v for w, v in placed_vars))
    current = sum(big + prio_w[j] for j in range(M) if st.slot[j] >= 0 and j not in ev.pinned_slot)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    if solver.ObjectiveValue() > current:
        for j in range(M):
            if st.slot[j] >= 0 and j not in ev.pinned_slot:
                st.remove(j)
        for (j, t), v in x.items():
            if j not in ev.pinned_slot and solver.BooleanValue(v):
                st.place(j, t)
    return status == cp_model.OPTIMAL


# --------------------------------------------------------------------------------------------
# Fair spread: give a slot to a poorly served participant when a better served one can spare it.


def _fair_spread(st: _State, ev: _Event, deadline: float) -> int:
    """Swap an unplaced meeting in for a placed one of a participant they share.

    The swap is made when it raises the priority placed, or, at equal priority, when the
    participant who gains was the worse served of the two (as a share of its requests) and the
    one who loses stays better served than that. This never lowers the number placed nor the
    priorities placed, and raises the worst share of the pair.
    """
    counts = [0] * len(ev.part_ids)
    for j, t in enumerate(st.slot):
        if t >= 0:
            counts[ev.ma[j]] += 1
            counts[ev.mb[j]] += 1
    requested = [len(js) for js in ev.meetings_of]
    swaps = 0
    changed = True
    while changed and time.perf_counter() < deadline:
        changed = False
        unplaced = [j for j, t in enumerate(st.slot) if t < 0 and ev.allowed[j]]
        unplaced.sort(key=lambda j: -ev.prio[j])
        for j in unplaced:
            if st.slot[j] >= 0:
                continue
            a, b = ev.ma[j], ev.mb[j]
            best = None
            for x, y in ((a, b), (b, a)):
                # Give x's slot t (now used by meeting k with partner z) to y.
                for t, ks in st.at[x].items():
                    if not (ev.allowed[j] >> t) & 1:
                        continue
                    if not (st.free[y] >> t) & 1:
                        continue
                    for k in ks:
                        if k in ev.pinned_slot or ev.prio[k] > ev.prio[j]:
                            continue
                        z = ev.mb[k] if ev.ma[k] == x else ev.ma[k]
                        if ev.prio[k] < ev.prio[j]:
                            gain = (1, ev.prio[j] - ev.prio[k])
                        else:
                            # Only when the poorer of the two ends better off than before.
                            before_y = counts[y] / requested[y]
                            after_z = (counts[z] - 1) / requested[z]
                            if after_z <= before_y:
                                continue
                            gain = (0, after_z - before_y)
                        if best is None or gain > best[0]:
                            best = (gain, k, t, y, z)
            if best is None:
                continue
            _gain, k, t, y, z = best
            st.remove(k)
            if not (st.open_slots(j) >> t) & 1:
                st.place(k, t)
                continue
            st.place(j, t)
            counts[y] += 1
            counts[z] -= 1
            swaps += 1
            changed = True
    return swaps


# --------------------------------------------------------------------------------------------
# Break reduction by local search (any size).


def _pcost(ev: _Event, mask: int, fair: int) -> int:
    b = ev.breaks(mask)
    return b + _UNFAIR_WEIGHT * (b - fair) if b > fair else b


# Local search passes per unit of ``Options.effort`` on events above ``exact_model_limit``.
_PASSES_PER_EFFORT = 10

# Weight of each break above the fairness cap, against 1 per break.
_UNFAIR_WEIGHT = 20


def _local_search(
    st: _State,
    ev: _Event,
    fair: int,
    rng: random.Random,
    deadline: float,
    max_passes: int = 12,
    min_gain: float = 1 / 1000,
    patience: int = 1,
) -> None:
    """Move single meetings, or swap two meetings of one participant, while breaks go down.

    Each pass examines the participants that have breaks; the search stops when ``patience``
    passes in a row improve by ``min_gain`` of the cost or less, after ``max_passes``, or at
    the deadline.
    """
    P = len(ev.part_ids)
    other = [ev.ma[j] ^ ev.mb[j] for j in range(len(ev.meeting_ids))]
    idle = 0
    for _ in range(max_passes):
        todo = [p for p in range(P) if ev.breaks(st.busy[p]) > 0]
        if not todo:
            return
        rng.shuffle(todo)
        before = sum(_pcost(ev, m, fair) for m in st.busy)
        for n, p in enumerate(todo):
            if n % 64 == 0 and time.perf_counter() > deadline:
                return
            _improve_participant(st, ev, p, other, fair, rng)
        after = sum(_pcost(ev, m, fair) for m in st.busy)
        idle = idle + 1 if before - after <= before * min_gain else 0
        if idle >= patience:
            return


def _swap_with_partner(st: _State, ev: _Event, p: int, j: int, other: list[int], fair: int) -> bool:
    """Move p's meeting j (with q) to a slot u next to p's other meetings where q is busy with
    meeting k (with r); k takes j's old slot. q's busy slots stay the same."""
    t = st.slot[j]
    q = other[j] ^ p
    bit = 1 << t
    bp = st.busy[p]
    bp0 = bp & ~bit if st.load[p][t] == 1 else bp
    mask = ev.allowed[j] & st.free[p] & ~bit & st.busy[q] & _near(ev, bp0)
    best, best_move = 0, None
    for u in _bits(mask):
        ub = 1 << u
        for k in st.at[q].get(u, ()):
            if k in ev.pinned_slot or ev.pool[k] != ev.pool[j] or not (ev.allowed[k] >> t) & 1:
                continue
            r = other[k] ^ q
            if r == p or not (st.free[r] >> t) & 1:
                continue
            br = st.busy[r]
            br0 = br & ~ub if st.load[r][u] == 1 else br
            delta = (
                _pcost(ev, bp0 | ub, fair)
                + _pcost(ev, br0 | bit, fair)
                - _pcost(ev, bp, fair)
                - _pcost(ev, br, fair)
            )
            if delta < best:
                best, best_move = delta, (k, u)
    if best_move is None:
        return False
    k, u = best_move
    st.remove(j)
    st.remove(k)
    st.place(j, u)
    st.place(k, t)
    return True


def _near(ev: _Event, mask: int) -> int:
    """Slots next to a busy slot of ``mask`` on the same day, or on a day ``mask`` leaves free."""
    near = ((mask << 1) & ev.same_day_prev) | ((mask >> 1) & (ev.same_day_prev >> 1))
    if not ev.single_day:
        for dm in ev.day_masks:
            if not mask & dm:
                near |= dm
    elif not mask:
        near = ev.all_slots
    return near


def _improve_participant(
    st: _State, ev: _Event, p: int, other: list[int], fair: int, rng: random.Random
) -> int:
    gains = 0
    if ev.breaks(st.busy[p]) == 0:
        return 0
    js = [j for j in ev.meetings_of[p] if st.slot[j] >= 0 and j not in ev.pinned_slot]
    rng.shuffle(js)
    for j in js:
        t = st.slot[j]
        q = other[j] ^ p
        bit = 1 << t
        bp, bq = st.busy[p], st.busy[q]
        base = _pcost(ev, bp, fair) + _pcost(ev, bq, fair)
        # Masks once the meeting leaves t (capacity > 1 may keep the slot busy).
        bp0 = bp & ~bit if st.load[p][t] == 1 else bp
        bq0 = bq & ~bit if st.load[q][t] == 1 else bq
        mask = ev.allowed[j] & st.free[p] & st.free[q] & ~bit
        if ev.pool[j]:
            mask &= st.pool_free
        # Only a slot next to one of their meetings (or on a day they have none) can help.
        mask &= _near(ev, bp0) | _near(ev, bq0)
        best, best_t = 0, -1
        sideways = []
        for u in _bits(mask):
            ub = 1 << u
            delta = _pcost(ev, bp0 | ub, fair) + _pcost(ev, bq0 | ub, fair) - base
            if delta < best:
                best, best_t = delta, u
            elif delta == 0:
                sideways.append(u)
        if best_t >= 0:
            st.remove(j)
            st.place(j, best_t)
            gains += 1
            continue
        if _swap_with_partner(st, ev, p, j, other, fair):
            gains += 1
            continue
        if sideways and rng.random() < 0.2:
            # A move that changes nothing now, to leave a plateau.
            st.remove(j)
            st.place(j, rng.choice(sideways))
            continue
        # Swap with another meeting k of p at slot u: p's busy slots stay the same.
        for k in ev.meetings_of[p]:
            u = st.slot[k]
            if k == j or u < 0 or u == t or k in ev.pinned_slot or ev.pool[j] != ev.pool[k]:
                continue
            r = other[k] ^ p
            if r == q:
                continue
            if not ((ev.allowed[j] >> u) & 1 and (ev.allowed[k] >> t) & 1):
                continue
            if not ((st.free[q] >> u) & 1 and (st.free[r] >> t) & 1):
                continue
            br = st.busy[r]
            br0 = br & ~(1 << u) if st.load[r][u] == 1 else br
            old = _pcost(ev, bq, fair) + _pcost(ev, br, fair)
            new = _pcost(ev, bq0 | (1 << u), fair) + _pcost(ev, br0 | bit, fair)
            if new < old:
                st.remove(j)
                st.remove(k)
                st.place(j, u)
                st.place(k, t)
                gains += 1
                break
    return gains


# --------------------------------------------------------------------------------------------
# Break reduction by MaxSAT (small and medium events).

# Seconds of MaxSAT solver time per unit of ``Options.effort``.
_SECONDS_PER_EFFORT = 1.0


def _encode_breaks(
    ev: _Event, st: _State, fair: int, fair_hard: bool, free: set[int] | None = None
):
    """The MaxSAT formula of the break problem for the placed meetings (see below).

    With ``free`` given, only those meetings may move; the others keep their slots."""
    from pysat.card import CardEnc, EncType
    from pysat.formula import WCNF, IDPool

    M, T = len(ev.meeting_ids), ev.T
    placed = [j for j in range(M) if st.slot[j] >= 0]
    n_pool = len(ev.pool_tables)
    pool_room = [n_pool] * T
    if free is not None:
        # Only the participants of the free meetings matter; the other meetings only take
        # shared tables away.
        touched = {ev.ma[j] for j in free} | {ev.mb[j] for j in free}
        for j in placed:
            if j not in free and ev.pool[j]:
                pool_room[st.slot[j]] -= 1
        placed = [j for j in placed if ev.ma[j] in touched or ev.mb[j] in touched]
    pool = IDPool()
    wcnf = WCNF()
    hard = wcnf.hard

    def card(lits: list[int], bound: int, kind: str) -> None:
        if kind == "atmost" and len(lits) <= bound:
            return
        enc = EncType.seqcounter if bound <= 2 else EncType.kmtotalizer
        if kind == "atmost":
            cnf = CardEnc.atmost(lits, bound, vpool=pool, encoding=enc)
        elif kind == "atleast":
            cnf = CardEnc.atleast(lits, bound, vpool=pool, encoding=EncType.totalizer)
        else:
            cnf = CardEnc.equals(lits, bound, vpool=pool, encoding=EncType.totalizer)
        hard.extend(cnf.clauses)

    x: dict[tuple[int, int], int] = {}
    by_pt: dict[tuple[int, int], list[int]] = {}
    pool_t: dict[int, list[int]] = {}
    for j in placed:
        if j in ev.pinned_slot:
            slots = [ev.pinned_slot[j]]
        elif free is not None and j not in free:
            slots = [st.slot[j]]
        else:
            slots = _bits(ev.allowed[j])
        lits = []
        for t in slots:
            v = pool.id(("x", j, t))
            x[j, t] = v
            lits.append(v)
            by_pt.setdefault((ev.ma[j], t), []).append(v)
            by_pt.setdefault((ev.mb[j], t), []).append(v)
            if ev.pool[j] and (free is None or j in free):
                pool_t.setdefault(t, []).append(v)
        hard.append(lits)
        card(lits, 1, "atmost")
    for t, lits in pool_t.items():
        card(lits, pool_room[t], "atmost")

    count = [0] * len(ev.part_ids)
    for j in placed:
        count[ev.ma[j]] += 1
        count[ev.mb[j]] += 1
    busy: dict[tuple[int, int], int] = {}
    per_slot: dict[int, list[int]] = {}
    soft: list[int] = []
    for p in range(len(ev.part_ids)):
        if not count[p] or (free is not None and p not in touched):
            continue
        ys = []
        for t in range(T):
            lits = by_pt.get((p, t))
            if not lits:
                continue
            y = pool.id(("y", p, t))
            busy[p, t] = y
            ys.append(y)
            per_slot.setdefault(t, []).append(y)
            hard.append([-y, *lits])
            for v in lits:
                hard.append([-v, y])
            card(lits, ev.cap[p], "atmost")
        if ev.cap[p] == 1:
            card(ys, count[p], "equals")
        if count[p] < 2:
            continue
        breaks = []
        for dm in ev.day_masks:
            started = None
            for t in _bits(dm):
                y = busy.get((p, t))
                if started is not None and y is not None:
                    e = pool.id(("e", p, t))
                    breaks.append(e)
                    clause = [-y, -started, e]
                    prev = busy.get((p, t - 1)) if (dm >> (t - 1)) & 1 else None
                    if prev is not None:
                        clause.append(prev)
                    hard.append(clause)
                if y is None and started is None:
                    continue
                s = pool.id(("s", p, t))
                if y is not None:
                    hard.append([-y, s])
                if started is not None:
                    hard.append([-started, s])
                started = s
        soft.extend(breaks)
        if fair_hard:
            card(breaks, fair, "atmost")
    n_tables = len(ev.table_ids)
    for ys in per_slot.values():
        card(ys, 2 * n_tables, "atmost")
    for group in _twin_meetings(ev, st, placed, free):
        # Interchangeable meetings: fix their order in time (symmetry breaking).
        _order_meetings(hard, pool, x, group, strict=ev.cap[_hub(ev, group)] == 1)
    for e in soft:
        wcnf.append([-e], weight=1)

    # Clauses went straight into wcnf.hard: tell the formula how many variables it has, so
    # that the solver's own auxiliary variables do not collide with the encoding's.
    wcnf.nv = max(wcnf.nv, pool.top)
    return wcnf, x, placed


def _hub(ev: _Event, group: list[int]) -> int:
    """The participant all meetings of a twin group share."""
    j, k = group[0], group[1]
    return ev.ma[j] if ev.ma[j] in (ev.ma[k], ev.mb[k]) else ev.mb[j]


def _twin_meetings(
    ev: _Event, st: _State, placed: list[int], free: set[int] | None
) -> list[list[int]]:
    """Groups of meetings that are interchangeable in every schedule.

    Each is the only meeting of its other participant, with the same partner, and the
    other participants are alike (capacity, available slots); swapping their slots never
    changes feasibility, breaks or fairness, so only one order needs to be searched.
    """
    count = [0] * len(ev.part_ids)
    for j in placed:
        count[ev.ma[j]] += 1
        count[ev.mb[j]] += 1
    groups: dict[tuple, list[int]] = {}
    for j in placed:
        if j in ev.pinned_slot or (free is not None and j not in free):
            continue
        for hub, leaf in ((ev.ma[j], ev.mb[j]), (ev.mb[j], ev.ma[j])):
            if count[leaf] == 1 and len(ev.meetings_of[leaf]) == 1 and count[hub] > 1:
                key = (hub, ev.allowed[j], ev.avail[leaf], ev.cap[leaf], ev.pool[j])
                groups.setdefault(key, []).append(j)
                break
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _order_meetings(hard: list, pool, x: dict, group: list[int], strict: bool) -> None:
    """Clauses making the slots of ``group`` increase (strictly when ``strict``)."""
    for first, second in zip(group, group[1:], strict=False):
        slots = sorted(t for (j, t) in x if j == first)
        # before[t]: ``first`` is in a slot <= t.
        before: dict[int, int] = {}
        prev = None
        for t in slots:
            b = pool.id(("ord", first, t))
            hard.append([-x[first, t], b])
            if prev is not None:
                hard.append([-before[prev], b])
                hard.append([-b, x[first, t], before[prev]])
            else:
                hard.append([-b, x[first, t]])
            before[t] = b
            prev = t
        for (j, t), v in list(x.items()):
            if j != second:
                continue
            limit = [u for u in slots if (u < t if strict else u <= t)]
            if limit:
                hard.append([-v, before[limit[-1]]])
            else:
                hard.append([-v])


def _maxsat_breaks(
    ev: _Event,
    st: _State,
    fair: int,
    seconds: float,
    deadline: float,
    rng: random.Random,
    workers: int = 1,
) -> tuple[bool, int | None]:
    """Fewest breaks for the placed meetings: MaxSAT on the whole event, then on parts of it.

    Two searches share the budget (``seconds`` of solver time, and the ``deadline``): the
    core-guided MaxSAT solver RC2 on the whole event (when it finishes, the schedule has the
    fewest breaks possible), and a large neighbourhood search in which MaxSAT re-solves a
    window of slots, or the meetings of a participant, its partners and some of theirs, with
    everything else kept in place, keeping any schedule that is no worse. With one worker,
    the whole-event solver gets three fifths of the budget and the neighbourhood search the
    rest. With two workers, the whole-event solver runs with the full budget beside the
    neighbourhood search; when it finishes first its schedule is taken.

    The encoding follows Bofill et al. (JAIR 2022): a Boolean per (meeting, allowed slot), a
    busy Boolean per (participant, slot), a break literal per (participant, slot) forced true
    when the participant resumes after an idle gap, one soft clause per break literal, and the
    implied constraints that made their MaxSAT approach prove every instance (each participant
    busy in exactly as many slots as it has meetings; at most two busy participants per table
    and slot). The fairness cap is a hard limit when the current schedule already meets it.

    Returns (proven optimal, lower bound on the breaks under the fairness cap or None).
    """
    if not any(t >= 0 for t in st.slot):
        return True, 0
    if workers >= 2:
        return _maxsat_breaks_parallel(ev, st, fair, seconds, deadline, rng)
    # The whole-event solver also stops at three fifths of the time left, so that the
    # neighbourhood search keeps its share when the time limit is what binds.
    whole = min(0.6 * seconds, 0.6 * max(0.0, deadline - time.perf_counter()))
    status, lower, used = _maxsat_step(ev, st, fair, whole, None)
    if status == "optimal":
        return True, lower
    _maxsat_lns(ev, st, fair, seconds - used, deadline, rng, lower, lambda: False)
    return False, lower


def _maxsat_breaks_parallel(
    ev: _Event, st: _State, fair: int, seconds: float, deadline: float, rng: random.Random
) -> tuple[bool, int | None]:
    """The whole-event MaxSAT in its own process while this one runs the neighbourhood
    search; a finished whole-event answer (the fewest breaks) replaces the search's."""
    fair_hard = all(ev.breaks(m) <= fair for m in st.busy)
    wcnf, x, _placed = _encode_breaks(ev, st, fair, fair_hard, None)
    whole = _MaxSAT(wcnf, x)
    try:
        _maxsat_lns(ev, st, fair, seconds, deadline, rng, None, whole.poll)
        whole.poll(max(0.0, min(seconds - whole.elapsed, deadline - time.perf_counter())))
    finally:
        status, slots, cost = whole.stop()
    if status != "optimal" or not fair_hard:
        return False, None
    for j, t in enumerate(st.slot):
        if t >= 0 and j not in ev.pinned_slot:
            st.remove(j)
    for j, t in slots.items():
        if j not in ev.pinned_slot:
            st.place(j, t)
    return True, cost


def _maxsat_lns(
    ev: _Event,
    st: _State,
    fair: int,
    seconds: float,
    deadline: float,
    rng: random.Random,
    lower: int | None,
    stop,
) -> None:
    """Large neighbourhood search: re-solve parts of the schedule with MaxSAT."""
    left = seconds
    M = len(ev.meeting_ids)
    P = len(ev.part_ids)
    movable = [j for j in range(M) if st.slot[j] >= 0 and j not in ev.pinned_slot]
    # A window of consecutive slots around a break: every meeting in it may move anywhere.
    # Its width grows after a quick success and shrinks after running out of budget.
    share = 0.4
    step = 0
    while left > 0 and time.perf_counter() < deadline and not stop():
        breaks = [p for p in range(P) if ev.breaks(st.busy[p])]
        if not breaks or (lower is not None and sum(ev.breaks(m) for m in st.busy) <= lower):
            break
        p = rng.choice(breaks)
        step += 1
        if step % 2:
            # A window of consecutive slots around one of p's breaks.
            width = max(2, round(ev.T * share))
            busy = st.busy[p]
            gaps = [t for t in range(1, ev.T) if (busy >> t) & 1 and not (busy >> (t - 1)) & 1]
            centre = rng.choice(gaps) if gaps else rng.randrange(ev.T)
            first = min(max(0, centre - rng.randrange(width)), max(0, ev.T - width))
            free = {j for j in movable if first <= st.slot[j] < first + width}
        else:
            # p, its partners and some of theirs: all their meetings.
            chosen = {p}
            frontier = [p]
            target = max(4, round(P * share * 0.5))
            while frontier and len(chosen) < target:
                q = frontier.pop(rng.randrange(len(frontier)))
                for j in ev.meetings_of[q]:
                    r = ev.ma[j] if ev.mb[j] == q else ev.mb[j]
                    if r not in chosen and len(chosen) < target:
                        chosen.add(r)
                        frontier.append(r)
            free = {j for j in movable if ev.ma[j] in chosen or ev.mb[j] in chosen}
        if not free:
            continue
        budget = min(left, _LNS_STEP_SECONDS, max(0.0, deadline - time.perf_counter()))
        status, _bound, used = _maxsat_step(ev, st, fair, budget, free)
        left -= used
        if status == "out":
            share = max(0.15, share * 0.9)
        elif used < budget / 4:
            share = min(0.9, share * 1.1)


# Seconds of solver time allowed to one neighbourhood of the large neighbourhood search.
_LNS_STEP_SECONDS = 2.0


def _maxsat_step(
    ev: _Event, st: _State, fair: int, seconds: float, free: set[int] | None
) -> tuple[str, int | None, float]:
    """One RC2 run over the ``free`` meetings (all when None), stopped after ``seconds``; the
    state takes its answer when it is no worse. Returns (status, lower bound, seconds used)."""
    fair_hard = all(ev.breaks(m) <= fair for m in st.busy)
    wcnf, x, placed = _encode_breaks(ev, st, fair, fair_hard, free)
    run = _MaxSAT(wcnf, x)
    try:
        run.poll(seconds)
    finally:
        used = run.elapsed
        status, new_slot, cost = run.stop()
    if status == "out":
        return "out", cost if fair_hard and free is None else None, used
    if status != "optimal":
        return status, None, used
    old_cost = sum(_pcost(ev, m, fair) for m in st.busy)
    moved = [j for j in placed if j not in ev.pinned_slot and new_slot[j] != st.slot[j]]
    old_slot = {j: st.slot[j] for j in moved}
    for j in moved:
        st.remove(j)
    for j in moved:
        st.place(j, new_slot[j])
    if sum(_pcost(ev, m, fair) for m in st.busy) > old_cost:
        # Without the fairness cap the fewest breaks can be less fair: keep the old one.
        for j in moved:
            st.remove(j)
        for j in moved:
            st.place(j, old_slot[j])
        return "worse", None, used
    if free is None and fair_hard:
        return "optimal", cost, used
    return "improved", None, used


class _MaxSAT:
    """RC2 (python-sat, over CaDiCaL) on one formula in a forked process, so that it can be
    stopped when its budget is spent.

    python-sat's CaDiCaL has no ``interrupt()``; what it documents instead is that a SAT call
    stops on SIGINT. Stopping sends SIGINT, and the process answers with RC2's cost so far,
    a proven lower bound; a process that does not answer in time is killed.

    The process is made with ``os.fork`` and a pipe rather than ``multiprocessing``, which
    refuses to start a child from a daemonic process: a background-job worker's pool
    processes are daemonic, and the scheduler runs there."""

    def __init__(self, wcnf, x: dict[tuple[int, int], int], solver: str = "cd15"):
        read, write = os.pipe()
        self.started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: solve, answer through the pipe, leave without cleanup
            code = 0
            try:
                os.close(read)
                with os.fdopen(write, "wb") as sender:
                    _run_rc2(wcnf, x, solver, _PipeSender(sender))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid = pid
        self._receiver = os.fdopen(read, "rb")
        self._answer: tuple | None = None
        self._exited = False

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def poll(self, timeout: float = 0.0) -> bool:
        """Whether the solver has answered (waiting up to ``timeout`` seconds)."""
        if self._answer is None:
            ready, _w, _x = select.select([self._receiver], [], [], max(0.0, timeout))
            if ready:
                try:
                    self._answer = pickle.load(self._receiver)
                except (EOFError, pickle.UnpicklingError):
                    self._answer = ("failed", None, None)
        return self._answer is not None

    def _alive(self) -> bool:
        if self._exited:
            return False
        pid, _status = os.waitpid(self._pid, os.WNOHANG)
        self._exited = pid != 0
        return not self._exited

    def stop(self) -> tuple[str, dict[int, int] | None, int | None]:
        """(status, {meeting: slot} when optimal, cost): status is "optimal", "infeasible",
        "out" (stopped; cost is then the lower bound reached, or None) or "failed"."""
        if not self.poll() and self._alive():
            os.kill(self._pid, signal.SIGINT)
            self.poll(_STOP_GRACE_SECONDS)
        if self._alive():
            os.kill(self._pid, signal.SIGKILL)
        if not self._exited:
            os.waitpid(self._pid, 0)
            self._exited = True
        self._receiver.close()
        return self._answer or ("out", None, None)


class _PipeSender:
    """The child's end of the pipe, with the ``send`` of a multiprocessing connection."""

    def __init__(self, stream):
        self._stream = stream

    def send(self, answer: tuple) -> None:
        pickle.dump(answer, self._stream)
        self._stream.flush()


# How long a stopped solver may take to report its lower bound.
_STOP_GRACE_SECONDS = 1.0


def _run_rc2(wcnf, x: dict[tuple[int, int], int], solver: str, sender) -> None:
    from pysat.examples.rc2 import RC2

    # Whatever the parent did with SIGINT (a web server's worker handles it), here it stops
    # the search.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    rc2 = None
    try:
        rc2 = RC2(wcnf, solver=solver, adapt=True, exhaust=True, minz=True, trim=5)
        model = rc2.compute()
    except BaseException:
        # SIGINT arrived (python-sat raises it from inside a SAT call, Python between calls).
        sender.send(("out", None, rc2.cost if rc2 is not None else None))
        return
    # Answered: a stop that comes now must not interrupt the process on its way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if model is None:
        sender.send(("infeasible", None, None))
        return
    true = {v for v in model if v > 0}
    sender.send(("optimal", {j: t for (j, t), v in x.items() if v in true}, rc2.cost))


# --------------------------------------------------------------------------------------------
# Upper bound, tables, reasons and the report.


def _capacity_in_meetings(ev: _Event) -> list[int]:
    """How many meetings each participant could attend at most (capacity x usable slots)."""
    usable = list(ev.avail)
    for j, t in ev.pinned_slot.items():
        usable[ev.ma[j]] |= 1 << t
        usable[ev.mb[j]] |= 1 << t
    return [ev.cap[p] * usable[p].bit_count() for p in range(len(ev.part_ids))]


def _upper_bound(ev: _Event) -> int:
    """A number of meetings no schedule can exceed.

    The largest fractional b-matching (each participant at most its capacity in meetings,
    each meeting at most once, only meetings with a slot both can attend), computed as a
    maximum flow on the doubled graph, capped by the table-slots available.
    """
    from ortools.graph.python import max_flow

    P, M = len(ev.part_ids), len(ev.meeting_ids)
    cap = _capacity_in_meetings(ev)
    possible = [j for j in range(M) if ev.allowed[j] or j in ev.pinned_slot]
    if not possible:
        return 0
    flow = max_flow.SimpleMaxFlow()
    source, sink = 2 * P, 2 * P + 1
    for p in range(P):
        if cap[p]:
            flow.add_arc_with_capacity(source, p, cap[p])
            flow.add_arc_with_capacity(P + p, sink, cap[p])
    for j in possible:
        a, b = ev.ma[j], ev.mb[j]
        flow.add_arc_with_capacity(a, P + b, 1)
        flow.add_arc_with_capacity(b, P + a, 1)
    solved = flow.solve(source, sink) == flow.OPTIMAL
    bound = flow.optimal_flow() // 2 if solved else len(possible)
    n_host = sum(1 for j in possible if not ev.pool[j])
    table_bound = n_host + ev.T * len(ev.pool_tables)
    return min(bound, len(possible), table_bound, ev.T * len(ev.table_ids))


def _assign_tables(ev: _Event, st: _State) -> list[int]:
    """A table per placed meeting: pinned tables kept, hosts at their own tables, others at a
    shared table, preferably the one a participant already sat at in the previous slot."""
    table = [-1] * len(ev.meeting_ids)
    last: dict[int, int] = {}
    by_slot: list[list[int]] = [[] for _ in range(ev.T)]
    for j, t in enumerate(st.slot):
        if t >= 0:
            by_slot[t].append(j)
    for t in range(ev.T):
        used: set[int] = set()
        js = by_slot[t]
        for j in js:
            if j in ev.pinned_table:
                table[j] = ev.pinned_table[j]
                used.add(table[j])
        hosted = [j for j in js if table[j] < 0 and not ev.pool[j]]
        _match_host_tables(ev, hosted, used, table)
        free_pool = [k for k in ev.pool_tables if k not in used]
        free_set = set(free_pool)
        rest = [j for j in js if table[j] < 0]
        for j in rest:
            for p in (ev.ma[j], ev.mb[j]):
                k = last.get(p, -1)
                if k in free_set:
                    table[j] = k
                    free_set.discard(k)
                    break
        free_pool = [k for k in free_pool if k in free_set]
        free_pool.reverse()
        for j in rest:
            if table[j] < 0:
                table[j] = free_pool.pop()
        for j in js:
            if ev.pool[j]:
                last[ev.ma[j]] = last[ev.mb[j]] = table[j]
    return table


def _match_host_tables(ev: _Event, hosted: list[int], used: set[int], table: list[int]) -> None:
    """Seat host meetings at their hosts' tables (a bipartite matching; a meeting between two
    hosts may use either's table)."""
    owner_of: dict[int, int] = {}

    def options(j: int) -> list[int]:
        return [k for p in (ev.ma[j], ev.mb[j]) for k in ev.host_tables[p] if k not in used]

    def augment(j: int, seen: set[int]) -> bool:
        for k in options(j):
            if k in seen:
                continue
            seen.add(k)
            if k not in owner_of or augment(owner_of[k], seen):
                owner_of[k] = j
                return True
        return False

    for j in hosted:
        if not augment(j, set()):
            raise AssertionError("host tables over-committed")  # capacities rule this out
    for k, j in owner_of.items():
        table[j] = k


def _reasons(ev: _Event, st: _State) -> list[Unplaced]:
    cap = _capacity_in_meetings(ev)
    demand = [len(js) for js in ev.meetings_of]
    out = []
    for j, t in enumerate(st.slot):
        if t >= 0:
            continue
        a, b = ev.ma[j], ev.mb[j]
        mid = ev.meeting_ids[j]
        if not ev.allowed[j]:
            if ev.session_ok[j] != ev.all_slots and ev.avail[a] & ev.avail[b]:
                out.append(Unplaced(mid, NOT_FREE_IN_SESSIONS))
            else:
                out.append(Unplaced(mid, NEVER_BOTH_FREE))
            continue
        over = [p for p in (a, b) if demand[p] > cap[p]]
        if over:
            p = max(over, key=lambda p: demand[p] - cap[p])
            params = {"meetings": demand[p], "free": cap[p]}
            out.append(Unplaced(mid, OVERBOOKED, ev.part_ids[p], params))
            continue
        both = ev.allowed[j] & st.free[a] & st.free[b]
        out.append(Unplaced(mid, NO_TABLE_FREE if both else NO_COMMON_SLOT_LEFT))
    return out


# --------------------------------------------------------------------------------------------
# Entry point


def schedule(problem: Problem, options: Options | None = None) -> Result:
    """Place the problem's meetings; see the module docstring for the rules and objective."""
    opts = options or Options()
    start = time.perf_counter()
    deadline = start + opts.time_limit
    ev = _Event(problem)
    rng = random.Random(opts.seed)
    st = _State(ev)
    notes = list(ev.warnings)
    for j, t in ev.pinned_slot.items():
        st.place(j, t)
    _construct(st, _greedy_order(ev, rng))
    _repair(st, ev, rng, start + 0.45 * opts.time_limit)
    upper = _upper_bound(ev)
    size = sum(ev.allowed[j].bit_count() for j in range(len(ev.meeting_ids)))
    small = size <= opts.exact_model_limit
    if small and st.placed < upper and _place_exactly(ev, st, opts.seed, max(1.0, opts.effort / 4)):
        upper = st.placed
        notes.append(Note(PLACED_PROVEN_MOST))
    _fair_spread(st, ev, deadline)
    fair = opts.fair_breaks
    if small:
        _local_search(st, ev, fair, rng, start + 0.5 * opts.time_limit)
    else:
        # Large events have only this search for breaks: the effort is its budget of passes,
        # and it goes on while passes gain anything (its moves sideways on plateaus let a
        # later pass gain again; slow gains add up over many passes).
        passes = max(12, round(_PASSES_PER_EFFORT * opts.effort))
        deadline_ls = start + 0.95 * opts.time_limit
        _local_search(st, ev, fair, rng, deadline_ls, passes, min_gain=0, patience=5)
    lower = None
    if small:
        optimal, lower = _maxsat_breaks(
            ev, st, fair, opts.effort * _SECONDS_PER_EFFORT, deadline, rng, workers=opts.workers
        )
        if optimal:
            notes.append(Note(BREAKS_PROVEN_FEWEST))
    tables = _assign_tables(ev, st)
    placements = {}
    for j, t in enumerate(st.slot):
        if t >= 0:
            placements[ev.meeting_ids[j]] = (ev.slot_ids[t], ev.table_ids[tables[j]])
    figures = {}
    per_breaks = [ev.breaks(m) for m in st.busy]
    for p, pid in enumerate(ev.part_ids):
        js = ev.meetings_of[p]
        figures[pid] = ParticipantFigures(
            requested=len(js),
            placed=sum(1 for j in js if st.slot[j] >= 0),
            breaks=per_breaks[p],
        )
    report = Report(
        requested=len(ev.meeting_ids),
        placed=st.placed,
        upper_bound=max(upper, st.placed),
        unplaced=_reasons(ev, st),
        breaks=sum(per_breaks),
        worst_breaks=max(per_breaks, default=0),
        seconds=time.perf_counter() - start,
        participants=figures,
        placed_priority=sum(ev.prio[j] for j, t in enumerate(st.slot) if t >= 0),
        breaks_lower_bound=lower,
        notes=notes,
    )
    return Result(placements=placements, report=report)
