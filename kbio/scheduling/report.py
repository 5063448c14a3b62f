"""What a scheduler run leaves for the organizer: the typed report kept in `ScheduleRun.details`.

Everything in it is a code with parameters (ids, counts), never a sentence: `describe_unplaced`
and `describe_note` put each into words in the reader's language. The stored JSON carries a
version; `RunReport.from_json` is the one place that reads it, including the first shape
(version 1, before the version key: English notes and `[twin, kept]` pairs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kbio.scheduling import solver as scheduler

VERSION = 2

# The reason code of a request withdrawn while the scheduler ran (beside the scheduler's own).
WITHDRAWN = "withdrawn"
# A version-1 note that is none of the known sentences: shown as it was written.
LEGACY_NOTE = "legacy_note"


class UnplacedJSON(TypedDict):
    request: int
    reason: str
    participant: int | None
    params: NotRequired[dict[str, Any]]


class NoteJSON(TypedDict):
    code: str
    params: NotRequired[dict[str, Any]]


class TwinJSON(TypedDict):
    request: int
    covered_by: int


class RunReportJSON(TypedDict):
    version: int
    unplaced: list[UnplacedJSON]
    notes: list[NoteJSON]
    twins: list[TwinJSON]
    breaks_lower_bound: int | None


@dataclass(frozen=True)
class Unplaced:
    """A request the run did not place, and why (a reason code of the scheduler, or
    WITHDRAWN); `participant` is the one the reason is about, when there is one."""

    request: int
    reason: str
    participant: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Twin:
    """`request` is the second of two accepted requests between the same pair: the meeting
    of `covered_by` covers both."""

    request: int
    covered_by: int


@dataclass
class RunReport:
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    twins: list[Twin] = field(default_factory=list)
    breaks_lower_bound: int | None = None

    @classmethod
    def of_result(cls, report: scheduler.Report, twins: Mapping[int, int]) -> RunReport:
        return cls(
            unplaced=[
                Unplaced(item.meeting, item.reason, item.participant, dict(item.params))
                for item in report.unplaced
            ],
            notes=[Note(note.code, dict(note.params)) for note in report.notes],
            twins=[Twin(twin, kept) for twin, kept in sorted(twins.items())],
            breaks_lower_bound=report.breaks_lower_bound,
        )

    def to_json(self) -> RunReportJSON:
        unplaced: list[UnplacedJSON] = []
        for item in self.unplaced:
            row: UnplacedJSON = {
                "request": item.request,
                "reason": item.reason,
                "participant": item.participant,
            }
            if item.params:
                row["params"] = item.params
            unplaced.append(row)
        notes: list[NoteJSON] = []
        for note in self.notes:
            entry: NoteJSON = {"code": note.code}
            if note.params:
                entry["params"] = note.params
            notes.append(entry)
        return {
            "version": VERSION,
            "unplaced": unplaced,
            "notes": notes,
            "twins": [{"request": t.request, "covered_by": t.covered_by} for t in self.twins],
            "breaks_lower_bound": self.breaks_lower_bound,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RunReport:
        """The report of a stored run, whichever version wrote it."""
        data = data or {}
        unplaced = [
            Unplaced(
                item["request"],
                item["reason"],
                item.get("participant"),
                dict(item.get("params") or {}),
            )
            for item in data.get("unplaced", [])
        ]
        lower = data.get("breaks_lower_bound")
        if data.get("version", 1) == 1:
            return cls(
                unplaced=unplaced,
                notes=[_note_of_v1(text) for text in data.get("notes", [])],
                twins=[Twin(twin, kept) for twin, kept in data.get("twins", [])],
                breaks_lower_bound=lower,
            )
        return cls(
            unplaced=unplaced,
            notes=[Note(n["code"], dict(n.get("params") or {})) for n in data.get("notes", [])],
            twins=[Twin(t["request"], t["covered_by"]) for t in data.get("twins", [])],
            breaks_lower_bound=lower,
        )


# The sentences the scheduler wrote before it wrote codes (version 1).
_V1_NOTES = {
    "the number of meetings placed is proven the most possible": scheduler.PLACED_PROVEN_MOST,
    "the breaks are proven the fewest possible for these meetings": (
        scheduler.BREAKS_PROVEN_FEWEST
    ),
}
_V1_BLOCKED = re.compile(
    r"published meeting (\d+) stays in slot (\d+), which (.+) has since blocked"
)
_V1_SESSIONS = re.compile(r"published meeting (\d+) stays in slot (\d+), outside its allowed")


def _note_of_v1(text: str) -> Note:
    if text in _V1_NOTES:
        return Note(_V1_NOTES[text])
    if match := _V1_BLOCKED.fullmatch(text):
        meeting, slot, name = match.groups()
        params = {"meeting": int(meeting), "slot": int(slot), "participant_name": name}
        return Note(scheduler.PINNED_IN_BLOCKED_SLOT, params)
    if match := _V1_SESSIONS.match(text):
        meeting, slot = match.groups()
        return Note(scheduler.PINNED_OUTSIDE_SESSIONS, {"meeting": int(meeting), "slot": int(slot)})
    return Note(LEGACY_NOTE, {"text": text})


# --- in words ------------------------------------------------------------------------------

# A reason in a few words, for counts by reason.
REASON_NAMES = {
    WITHDRAWN: _lazy("withdrawn while the scheduler ran"),
    scheduler.NEVER_BOTH_FREE: _lazy("never free at the same time"),
    scheduler.NOT_FREE_IN_SESSIONS: _lazy("never free together in the allowed sessions"),
    scheduler.OVERBOOKED: _lazy("more accepted meetings than free slots"),
    scheduler.NO_TABLE_FREE: _lazy("no table free"),
    scheduler.NO_COMMON_SLOT_LEFT: _lazy("common slots taken by other meetings"),
}


def reason_name(code: str) -> str:
    return str(REASON_NAMES.get(code, code))


def describe_unplaced(item: Unplaced, pair: tuple[str, str], about: str | None) -> str:
    """Why the meeting of `pair` (the two organizations' names) was not placed; `about` is the
    name of the participant the reason is about."""
    a, b = pair
    code = item.reason
    if code == scheduler.NEVER_BOTH_FREE:
        return _("%(a)s and %(b)s are never free at the same time (blocked slots).") % {
            "a": a,
            "b": b,
        }
    if code == scheduler.NOT_FREE_IN_SESSIONS:
        return _(
            "%(a)s and %(b)s are never free at the same time in the sessions this meeting is "
            "allowed in."
        ) % {"a": a, "b": b}
    if code == scheduler.OVERBOOKED:
        organization = about or a
        if "meetings" in item.params and "free" in item.params:
            return _(
                "%(organization)s has %(meetings)d accepted meetings but room for %(free)d in "
                "the slots it is free in; its better matches were placed first."
            ) % {
                "organization": organization,
                "meetings": item.params["meetings"],
                "free": item.params["free"],
            }
        return _(
            "%(organization)s has more accepted meetings than slots it is free in; its better "
            "matches were placed first."
        ) % {"organization": organization}
    if code == scheduler.NO_TABLE_FREE:
        return _("No table is free in the slots where %(a)s and %(b)s are both free.") % {
            "a": a,
            "b": b,
        }
    if code == scheduler.NO_COMMON_SLOT_LEFT:
        return _(
            "Every slot %(a)s and %(b)s could share is taken by one of their other meetings."
        ) % {"a": a, "b": b}
    if code == WITHDRAWN:
        return _("The request between %(a)s and %(b)s was withdrawn while the scheduler ran.") % {
            "a": a,
            "b": b,
        }
    return _("%(a)s and %(b)s: not placed (%(code)s).") % {"a": a, "b": b, "code": code}


@dataclass(frozen=True)
class Names:
    """How a note's ids read: request -> the two organizations, participation -> its name,
    slot -> its time. Missing ids (deleted since the run) read as a dash."""

    pairs: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    participants: Mapping[int, str] = field(default_factory=dict)
    slots: Mapping[int, str] = field(default_factory=dict)


def describe_note(note: Note, names: Names) -> str:
    params = note.params
    if note.code == scheduler.PLACED_PROVEN_MOST:
        return _("No schedule could place more of these meetings.")
    if note.code == scheduler.BREAKS_PROVEN_FEWEST:
        return _("No schedule of these meetings has fewer breaks.")
    if note.code in (scheduler.PINNED_IN_BLOCKED_SLOT, scheduler.PINNED_OUTSIDE_SESSIONS):
        a, b = names.pairs.get(params.get("meeting"), ("–", "–"))
        time = names.slots.get(params.get("slot"), "–")
        if note.code == scheduler.PINNED_OUTSIDE_SESSIONS:
            return _(
                "The published meeting of %(a)s and %(b)s stays at %(time)s, outside the "
                "sessions it is allowed in."
            ) % {"a": a, "b": b, "time": time}
        organization = names.participants.get(params.get("participant")) or params.get(
            "participant_name", "–"
        )
        return _(
            "The published meeting of %(a)s and %(b)s stays at %(time)s, which %(organization)s "
            "has since blocked: move it by hand if it should not take place then."
        ) % {"a": a, "b": b, "time": time, "organization": organization}
    if note.code == LEGACY_NOTE:
        return str(params.get("text", ""))
    return note.code


@dataclass
class Described:
    """A run's report in the reader's language, with the requests it names."""

    # (the item, its MeetingRequest, why); requests deleted since the run are left out
    unplaced: list[tuple[Unplaced, Any, str]]
    notes: list[str]
    twins: list[Any]  # MeetingRequest: the second request of a pair that asked each other


def describe_run(report: RunReport, event, *, limit: int | None = None) -> Described:
    """`report` in words: the first `limit` unplaced meetings, every note and twin. At most
    three queries (requests, participants, slots), whatever the size of the report."""
    from django.utils import timezone
    from django.utils.formats import date_format

    from kbio.events.models import MeetingRequest, Participation, TimeSlot

    items = report.unplaced if limit is None else report.unplaced[:limit]
    noted_requests, noted_participants, noted_slots = set(), set(), set()
    for note in report.notes:
        for key, ids in (
            ("meeting", noted_requests),
            ("participant", noted_participants),
            ("slot", noted_slots),
        ):
            if isinstance(note.params.get(key), int):
                ids.add(note.params[key])
    request_ids = {item.request for item in items} | {t.request for t in report.twins}
    request_ids |= noted_requests
    requests = {}
    if request_ids:
        requests = MeetingRequest.objects.select_related(
            "requester__organization", "recipient__organization"
        ).in_bulk(request_ids)
    participant_ids = {item.participant for item in items if item.participant}
    participant_ids |= noted_participants
    participants = {}
    if participant_ids:
        participants = dict(
            Participation.objects.filter(pk__in=participant_ids).values_list(
                "pk", "organization__name"
            )
        )
    slots = {}
    if noted_slots:
        slots = {
            pk: date_format(timezone.localtime(starts_at, event.tzinfo), "SHORT_DATETIME_FORMAT")
            for pk, starts_at in TimeSlot.objects.filter(pk__in=noted_slots).values_list(
                "pk", "starts_at"
            )
        }
    pairs = {
        pk: (r.requester.organization.name, r.recipient.organization.name)
        for pk, r in requests.items()
    }
    names = Names(pairs=pairs, participants=participants, slots=slots)
    return Described(
        unplaced=[
            (
                item,
                requests[item.request],
                describe_unplaced(item, pairs[item.request], participants.get(item.participant)),
            )
            for item in items
            if item.request in requests
        ],
        notes=[describe_note(note, names) for note in report.notes],
        twins=[requests[t.request] for t in report.twins if t.request in requests],
    )
