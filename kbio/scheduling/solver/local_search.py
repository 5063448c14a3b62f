"""Break reduction by local search, on events of any size: moves and swaps of one participant's
meetings towards its neighbours, sideways moves on plateaus, a cap on the worst participant.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .compiled import Compiled
from .state import State, bits


def pcost(ev: Compiled, mask: int, fair: int) -> int:
    b = ev.breaks(mask)
    return b + _UNFAIR_WEIGHT * (b - fair) if b > fair else b


# Local search passes per unit of ``Options.effort`` on events above ``exact_model_limit``.
PASSES_PER_EFFORT = 10

# Weight of each break above the fairness cap, against 1 per break.
_UNFAIR_WEIGHT = 20


def local_search(
    st: State,
    ev: Compiled,
    fair: int,
    rng: random.Random,
    deadline: float,
    max_passes: int = 12,
    min_gain: float = 1 / 1000,
    patience: int = 1,
    on_pass: Callable[[int], None] | None = None,
) -> None:
    """Move single meetings, or swap two meetings of one participant, while breaks go down.

    Each pass examines the participants that have breaks; the search stops when ``patience``
    passes in a row improve by ``min_gain`` of the cost or less, after ``max_passes``, or at
    the deadline. ``on_pass`` is told the number of passes done after each one.
    """
    P = len(ev.part_ids)
    other = [ev.ma[j] ^ ev.mb[j] for j in range(len(ev.meeting_ids))]
    idle = 0
    for done in range(1, max_passes + 1):
        todo = [p for p in range(P) if ev.breaks(st.busy[p]) > 0]
        if not todo:
            return
        rng.shuffle(todo)
        before = sum(pcost(ev, m, fair) for m in st.busy)
        for n, p in enumerate(todo):
            if n % 64 == 0 and time.perf_counter() > deadline:
                return
            _improve_participant(st, ev, p, other, fair, rng)
        after = sum(pcost(ev, m, fair) for m in st.busy)
        if on_pass is not None:
            on_pass(done)
        idle = idle + 1 if before - after <= before * min_gain else 0
        if idle >= patience:
            return


def _swap_with_partner(
    st: State, ev: Compiled, p: int, j: int, other: list[int], fair: int
) -> bool:
    """Move p's meeting j (with q) to a slot u next to p's other meetings where q is busy with
    meeting k (with r); k takes j's old slot. q's busy slots stay the same."""
    t = st.slot[j]
    q = other[j] ^ p
    bit = 1 << t
    bp = st.busy[p]
    bp0 = bp & ~bit if st.load[p][t] == 1 else bp
    mask = ev.allowed[j] & st.free[p] & ~bit & st.busy[q] & _near(ev, bp0)
    best, best_move = 0, None
    for u in bits(mask):
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
                pcost(ev, bp0 | ub, fair)
                + pcost(ev, br0 | bit, fair)
                - pcost(ev, bp, fair)
                - pcost(ev, br, fair)
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


def _near(ev: Compiled, mask: int) -> int:
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
    st: State, ev: Compiled, p: int, other: list[int], fair: int, rng: random.Random
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
        base = pcost(ev, bp, fair) + pcost(ev, bq, fair)
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
        for u in bits(mask):
            ub = 1 << u
            delta = pcost(ev, bp0 | ub, fair) + pcost(ev, bq0 | ub, fair) - base
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
            old = pcost(ev, bq, fair) + pcost(ev, br, fair)
            new = pcost(ev, bq0 | (1 << u), fair) + pcost(ev, br0 | bit, fair)
            if new < old:
                st.remove(j)
                st.remove(k)
                st.place(j, u)
                st.place(k, t)
                gains += 1
                break
    return gains
