"""What the organizer's schedule page shows: the state of the schedule, the latest scheduler
run with every meeting it could not place and why, who is short of meetings, and the
timetable of slots against tables.

Loaded in a fixed number of queries whatever the size of the event; the timetable is drawn
only for events small enough to read on one screen (larger ones export the CSV).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from kbio.events import pairs
from kbio.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Participation,
    ScheduleRun,
    SessionKind,
    Table,
    TimeSlot,
)

from . import report as run_report
from .report import RunReport

# Beyond this many tables or slots the timetable is not drawn: the page would be too wide or
# too long to read, and the CSV export serves better.
GRID_MAX_TABLES = 30
GRID_MAX_SLOTS = 60
SHORT_LIST = 20
# Meetings listed one by one under "could not be placed"; the rest are counted by reason.
UNPLACED_LISTED = 50


@dataclass(frozen=True)
class UnplacedRow:
    request: MeetingRequest
    text: str


@dataclass(frozen=True)
class ShortRow:
    name: str
    requested: int
    placed: int


@dataclass
class Grid:
    tables: list[Table]
    # (session name, [(slot, [meeting or None per table])])
    sessions: list[tuple[str, list[tuple[TimeSlot, list[Meeting | None]]]]] = field(
        default_factory=list
    )


@dataclass
class Page:
    accepted: int
    placed: int
    published: int
    run: ScheduleRun | None
    unplaced: list[UnplacedRow]
    unplaced_total: int
    # (reason in words, how many) for every reason, most frequent first
    unplaced_by_reason: list[tuple[str, int]]
    notes: list[str]
    twins: list[MeetingRequest]
    short: list[ShortRow]
    short_total: int
    grid: Grid | None
    table_count: int
    slot_count: int

    @property
    def unpublished(self) -> int:
        return self.placed - self.published


def _latest_run(event: Event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(event=event).select_related("run_by").first()


def _short(event: Event, wanted: Counter[int]) -> tuple[list[ShortRow], int]:
    """Participants with fewer meetings placed than accepted, worst first."""
    placed: Counter[int] = Counter()
    for requester, recipient in Meeting.objects.of_event(event).values_list(
        "requester_id", "recipient_id"
    ):
        placed[requester] += 1
        placed[recipient] += 1
    rows = [(pk, n, placed[pk]) for pk, n in wanted.items() if placed[pk] < n]
    rows.sort(key=lambda row: (row[2] - row[1], row[2]))
    names = dict(
        Participation.objects.filter(pk__in=[pk for pk, _n, _p in rows[:SHORT_LIST]]).values_list(
            "pk", "organization__name"
        )
    )
    return [ShortRow(names[pk], n, p) for pk, n, p in rows[:SHORT_LIST]], len(rows)


def _grid(event: Event, slots: list[TimeSlot], tables: list[Table]) -> Grid:
    at: dict[tuple[int, int], Meeting] = {}
    for meeting in Meeting.objects.of_event(event).select_related(
        "requester__organization", "recipient__organization"
    ):
        at[meeting.slot_id, meeting.table_id] = meeting
    grid = Grid(tables=tables)
    by_session: dict[int, list[TimeSlot]] = defaultdict(list)
    for slot in slots:
        by_session[slot.session_id].append(slot)
    for session_slots in by_session.values():
        session = session_slots[0].session
        rows = [(slot, [at.get((slot.pk, table.pk)) for table in tables]) for slot in session_slots]
        grid.sessions.append((session.name, rows))
    return grid


def load(event: Event) -> Page:
    # Both asked each other and both accepted: one meeting for the pair.
    accepted = pairs.fold_queryset(MeetingRequest.objects.filter(event=event).accepted())
    counts = MeetingRequest.objects.filter(event=event).aggregate(
        placed=Count("meeting"),
        published=Count("meeting", filter=Q(meeting__is_published=True)),
    )
    run = _latest_run(event)
    report = run.report if run else RunReport()
    described = run_report.describe_run(report, event, limit=UNPLACED_LISTED)
    reason_counts = Counter(item.reason for item in report.unplaced)
    short, short_total = _short(event, accepted.per_participant())
    slots = list(
        TimeSlot.objects.of_event(event)
        .filter(session__kind=SessionKind.PARTNERING)
        .select_related("session")
        .order_by("starts_at")
    )
    tables = list(Table.objects.filter(event=event).select_related("host__organization"))
    grid = None
    if tables and slots and len(tables) <= GRID_MAX_TABLES and len(slots) <= GRID_MAX_SLOTS:
        grid = _grid(event, slots, tables)
    return Page(
        accepted=len(accepted.kept),
        placed=counts["placed"],
        published=counts["published"],
        run=run,
        unplaced=[UnplacedRow(request, text) for _item, request, text in described.unplaced],
        unplaced_total=len(report.unplaced),
        unplaced_by_reason=[
            (run_report.reason_name(code), n) for code, n in reason_counts.most_common()
        ],
        notes=described.notes,
        twins=described.twins,
        short=short,
        short_total=short_total,
        grid=grid,
        table_count=len(tables),
        slot_count=len(slots),
    )
