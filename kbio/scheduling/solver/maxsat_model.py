"""The MaxSAT model of the break problem: one variable per meeting and slot, hard capacity and
table constraints, one soft clause per possible break (and per break above the fairness cap).
"""

from __future__ import annotations

from .compiled import Compiled
from .state import State, bits

# Seconds of MaxSAT solver time per unit of ``Options.effort``.
SECONDS_PER_EFFORT = 1.0


def encode_breaks(
    ev: Compiled, st: State, fair: int, fair_hard: bool, free: set[int] | None = None
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
            slots = bits(ev.allowed[j])
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
            for t in bits(dm):
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


def _hub(ev: Compiled, group: list[int]) -> int:
    """The participant all meetings of a twin group share."""
    j, k = group[0], group[1]
    return ev.ma[j] if ev.ma[j] in (ev.ma[k], ev.mb[k]) else ev.mb[j]


def _twin_meetings(
    ev: Compiled, st: State, placed: list[int], free: set[int] | None
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
