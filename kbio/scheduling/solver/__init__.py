"""Partnering-meeting scheduler: accepted meetings in, (slot, table) per meeting out.

Pure Python over plain data (no Django import: `tests/scheduling/test_solver_imports.py`), so
it can be tested and benchmarked alone. `kbio.scheduling.service` loads an event's slots,
tables, participants and accepted requests, builds a :class:`Problem` and calls
:func:`schedule`.

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

Modules: `problem` (input and output types), `compiled` (the problem as indices and bitmasks),
`state` (the mutable schedule and greedy construction), `chains` (augmenting chains), `exact`
(CP-SAT placement), `fairness` (fair spread), `local_search`, `maxsat_model` and
`maxsat_search` (break reduction), `bounds`, `tables`, `solve` (the entry point).
"""

from .problem import (
    BREAKS_PROVEN_FEWEST,
    NEVER_BOTH_FREE,
    NO_COMMON_SLOT_LEFT,
    NO_TABLE_FREE,
    NOT_FREE_IN_SESSIONS,
    OVERBOOKED,
    PINNED_IN_BLOCKED_SLOT,
    PINNED_OUTSIDE_SESSIONS,
    PLACED_PROVEN_MOST,
    Meeting,
    Note,
    Options,
    Participant,
    ParticipantFigures,
    Pinned,
    Problem,
    Report,
    Result,
    SchedulingInputError,
    Slot,
    Unplaced,
)
from .solve import schedule

__all__ = [
    "BREAKS_PROVEN_FEWEST",
    "NEVER_BOTH_FREE",
    "NO_COMMON_SLOT_LEFT",
    "NO_TABLE_FREE",
    "NOT_FREE_IN_SESSIONS",
    "OVERBOOKED",
    "PINNED_IN_BLOCKED_SLOT",
    "PINNED_OUTSIDE_SESSIONS",
    "PLACED_PROVEN_MOST",
    "Meeting",
    "Note",
    "Options",
    "Participant",
    "ParticipantFigures",
    "Pinned",
    "Problem",
    "Report",
    "Result",
    "SchedulingInputError",
    "Slot",
    "Unplaced",
    "schedule",
]
