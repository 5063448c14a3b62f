"""The entry point: construction, chains, exact placement, fair spread, break reduction,
tables, and the report with a reason code for every meeting left unplaced.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .bounds import capacity_in_meetings, placeable_bound
from .chains import repair
from .compiled import Compiled
from .exact import place_exactly
from .fairness import fair_spread
from .local_search import PASSES_PER_EFFORT, local_search
from .maxsat_model import SECONDS_PER_EFFORT
from .maxsat_search import maxsat_breaks
from .problem import (
    BREAKS_PROVEN_FEWEST,
    NEVER_BOTH_FREE,
    NO_COMMON_SLOT_LEFT,
    NO_TABLE_FREE,
    NOT_FREE_IN_SESSIONS,
    OVERBOOKED,
    PLACED_PROVEN_MOST,
    Note,
    Options,
    ParticipantFigures,
    Problem,
    Report,
    Result,
    Unplaced,
)
from .state import State, construct, greedy_order
from .tables import assign_tables


def _reasons(ev: Compiled, st: State) -> list[Unplaced]:
    cap = capacity_in_meetings(ev)
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


def schedule(problem: Problem, options: Options | None = None) -> Result:
    """Place the problem's meetings; see the module docstring for the rules and objective."""
    opts = options or Options()
    start = time.perf_counter()
    deadline = start + opts.time_limit
    ev = Compiled(problem)
    rng = random.Random(opts.seed)
    st = State(ev)
    notes = list(ev.warnings)
    for j, t in ev.pinned_slot.items():
        st.place(j, t)
    tell = _Teller(opts.progress)
    construct(st, greedy_order(ev, rng))
    tell(0.05)
    repair(st, ev, rng, start + 0.45 * opts.time_limit)
    tell(0.25)
    upper = placeable_bound(ev)
    size = sum(ev.allowed[j].bit_count() for j in range(len(ev.meeting_ids)))
    small = size <= opts.exact_model_limit
    if small and st.placed < upper and place_exactly(ev, st, opts.seed, max(1.0, opts.effort / 4)):
        upper = st.placed
        notes.append(Note(PLACED_PROVEN_MOST))
    fair_spread(st, ev, deadline)
    tell(0.3)
    fair = opts.fair_breaks
    if small:
        local_search(st, ev, fair, rng, start + 0.5 * opts.time_limit)
        tell(0.4)
    else:
        # Large events have only this search for breaks: the effort is its budget of passes,
        # and it goes on while passes gain anything (its moves sideways on plateaus let a
        # later pass gain again; slow gains add up over many passes).
        passes = max(12, round(PASSES_PER_EFFORT * opts.effort))
        deadline_ls = start + 0.95 * opts.time_limit
        local_search(
            st,
            ev,
            fair,
            rng,
            deadline_ls,
            passes,
            min_gain=0,
            patience=5,
            # The share of the passes or of the time, whichever is further on.
            on_pass=lambda done: tell(
                0.3 + 0.65 * max(done / passes, (time.perf_counter() - start) / opts.time_limit)
            ),
        )
    lower = None
    if small:
        optimal, lower = maxsat_breaks(
            ev, st, fair, opts.effort * SECONDS_PER_EFFORT, deadline, rng, workers=opts.workers
        )
        if optimal:
            notes.append(Note(BREAKS_PROVEN_FEWEST))
    tell(0.95)
    tables = assign_tables(ev, st)
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


class _Teller:
    """Passes the share of the work done to ``Options.progress``, never going back, and only
    when it moved by a percent or more."""

    def __init__(self, progress: Callable[[float], None] | None):
        self.progress = progress
        self.told = 0.0

    def __call__(self, share: float) -> None:
        share = min(1.0, share)
        if self.progress is not None and share >= self.told + 0.01:
            self.told = share
            self.progress(share)
