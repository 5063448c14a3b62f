"""What the solver takes and gives: slots, participants, meetings and pinned meetings in;
placements and a report (counts, breaks, unplaced meetings with a reason code, notes) out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field


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
    # Told the share of the work done (0 to 1), between steps and during the break search,
    # from the thread that runs the solver; what it does takes from the solver's time.
    progress: Callable[[float], None] | None = field(default=None, compare=False, repr=False)


class SchedulingInputError(ValueError):
    """The problem description is inconsistent (unknown ids, clashing pinned meetings...)."""


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
