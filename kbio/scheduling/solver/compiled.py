"""The problem compiled to small integers: participants, meetings and tables by index, and
every set of slots as a Python int used as a bitmask. Checks the input and notes pinned
meetings the event no longer allows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from .problem import (
    PINNED_IN_BLOCKED_SLOT,
    PINNED_OUTSIDE_SESSIONS,
    Note,
    Problem,
    SchedulingInputError,
)


class Compiled:
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
