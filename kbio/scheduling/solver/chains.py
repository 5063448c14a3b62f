"""Augmenting chains: place one more meeting by moving others out of its way, depth-limited,
with every change journaled so that a failed branch is rolled back exactly.
"""

from __future__ import annotations

import random
import time

from .compiled import Compiled
from .state import State, bits, slot_choice


class _Augmenter:
    """Depth-limited search for a chain of moves that makes room for one more meeting.

    Putting meeting j in slot t may need one meeting moved away per full resource (each
    participant's capacity, the shared tables); each moved meeting is then placed the same way.
    This generalizes the alternating (Kempe) chains of edge colouring to capacities, blocked
    slots and tables. Every change is journaled so a failed branch is rolled back exactly.
    """

    def __init__(self, st: State, rng: random.Random, node_budget: int = 400):
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
            self._put(j, slot_choice(st, j, mask))
            return True
        if depth == 0:
            return False
        cands = bits(allowed)
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


def _saturated(st: State, ev: Compiled, p: int) -> bool:
    """No room left in any slot the participant can attend."""
    return not (st.free[p] & ev.avail[p])


def repair(st: State, ev: Compiled, rng: random.Random, deadline: float) -> None:
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
