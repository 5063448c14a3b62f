"""Exact placement for small over-subscribed events: CP-SAT maximises the meetings placed,
then their priorities, starting from the current schedule.
"""

from __future__ import annotations

from .compiled import Compiled
from .state import State, bits

# Priorities are scaled to integers 0.._PRIORITY_SCALE for the solver; a placed meeting is
# worth more than all priorities together, so the count always comes first.
_PRIORITY_SCALE = 100


def _priority_weights(ev: Compiled) -> list[int]:
    lo, hi = min(ev.prio, default=0.0), max(ev.prio, default=0.0)
    span = hi - lo
    if span <= 0:
        return [0] * len(ev.prio)
    return [round((p - lo) / span * _PRIORITY_SCALE) for p in ev.prio]


def place_exactly(ev: Compiled, st: State, seed: int, seconds: float) -> bool:
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
        slots = [ev.pinned_slot[j]] if j in ev.pinned_slot else bits(ev.allowed[j])
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
