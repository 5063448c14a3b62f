"""The mutable schedule (the slot of every meeting and the loads that test a move in constant
time) and the greedy construction that fills it first.
"""

from __future__ import annotations

import random

from .compiled import Compiled


class State:
    """Slot of every meeting plus the loads needed to test a move in constant time."""

    def __init__(self, ev: Compiled):
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


def bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def slot_choice(st: State, j: int, mask: int) -> int:
    """Among open slots, the one that adds the fewest breaks and keeps days compact."""
    ev = st.ev
    a, b = ev.ma[j], ev.mb[j]
    ba, bb = st.busy[a], st.busy[b]
    base = ev.breaks(ba) + ev.breaks(bb)
    best, best_key = -1, None
    for t in bits(mask):
        bit = 1 << t
        delta = ev.breaks(ba | bit) + ev.breaks(bb | bit) - base
        # Prefer touching an existing block of each participant, then a less loaded slot.
        near = (bit << 1) | (bit >> 1)
        touch = ((ba & near) != 0) + ((bb & near) != 0)
        key = (delta, -touch, st.pool_load[t] if ev.pool[j] else 0, t)
        if best_key is None or key < best_key:
            best, best_key = t, key
    return best


def construct(st: State, order: list[int]) -> None:
    for j in order:
        mask = st.open_slots(j)
        if mask:
            st.place(j, slot_choice(st, j, mask))


def greedy_order(ev: Compiled, rng: random.Random) -> list[int]:
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
