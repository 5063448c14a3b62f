"""How many meetings any schedule could place at most: each participant's capacity in
meetings, and a maximum flow (OR-Tools) over the meetings both sides can attend.
"""

from __future__ import annotations

from .compiled import Compiled


def capacity_in_meetings(ev: Compiled) -> list[int]:
    """How many meetings each participant could attend at most (capacity x usable slots)."""
    usable = list(ev.avail)
    for j, t in ev.pinned_slot.items():
        usable[ev.ma[j]] |= 1 << t
        usable[ev.mb[j]] |= 1 << t
    return [ev.cap[p] * usable[p].bit_count() for p in range(len(ev.part_ids))]


def placeable_bound(ev: Compiled) -> int:
    """A number of meetings no schedule can exceed.

    The largest fractional b-matching (each participant at most its capacity in meetings,
    each meeting at most once, only meetings with a slot both can attend), computed as a
    maximum flow on the doubled graph, capped by the table-slots available.
    """
    from ortools.graph.python import max_flow

    P, M = len(ev.part_ids), len(ev.meeting_ids)
    cap = capacity_in_meetings(ev)
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
