"""A participant's published meetings as the calendar file and the schedule email show them.

Both read the same rows: when, at which table, with whom and the partner's delegates, loaded in
a fixed number of queries whatever the number of meetings: two, for one participant or for a
whole event. The agenda page shares the delegates lookup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kbio.directory.models import Contact, Organization

from .models import Attendee, Event, Meeting, MeetingRequest, Participation, Table
from .pairs import kept_requests


@dataclass(frozen=True)
class AgendaMeeting:
    """One published meeting as one of its two participants sees it."""

    request: MeetingRequest
    meeting: Meeting
    partner: Organization
    partner_delegates: tuple[Contact, ...]

    @property
    def starts_at(self) -> datetime:
        return self.meeting.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.meeting.slot.ends_at

    @property
    def table(self) -> Table:
        return self.meeting.table


@dataclass
class Agenda:
    """What the schedule holds for one participant: its published meetings in time order, and
    the partners of accepted requests the schedule could not place."""

    meetings: list[AgendaMeeting] = field(default_factory=list)
    unplaced: list[Organization] = field(default_factory=list)


def delegates_by_participation(participation_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """{participation id: its delegates at the event, by name}, in one query."""
    ids = set(participation_ids)
    delegates: dict[int, list[Contact]] = defaultdict(list)
    if ids:
        attendees = (
            Attendee.objects.filter(participation_id__in=ids)
            .select_related("contact")
            .order_by("contact__name", "contact__pk")
        )
        for attendee in attendees:
            delegates[attendee.participation_id].append(attendee.contact)
    return delegates


def _agenda(
    participation: Participation,
    requests: Iterable[MeetingRequest],
    delegates: dict[int, list[Contact]],
) -> Agenda:
    agenda = Agenda()
    # Both asked each other and both accepted: one of the two requests carries the meeting.
    for meeting_request in kept_requests(list(requests)):
        side = meeting_request.other_side(participation)
        meeting = meeting_request.published_meeting
        if meeting is None:
            agenda.unplaced.append(side.organization)
            continue
        agenda.meetings.append(
            AgendaMeeting(
                request=meeting_request,
                meeting=meeting,
                partner=side.organization,
                partner_delegates=tuple(delegates.get(side.pk, ())),
            )
        )
    agenda.meetings.sort(key=lambda row: (row.starts_at, row.table.number))
    agenda.unplaced.sort(key=lambda organization: organization.name.lower())
    return agenda


def published_meetings(participation: Participation) -> list[AgendaMeeting]:
    """The participant's published meetings in time order (unpublished ones are left out)."""
    requests = list(MeetingRequest.objects.involving(participation).published().for_lists())
    delegates = delegates_by_participation(r.other_side(participation).pk for r in requests)
    return _agenda(participation, requests, delegates).meetings


def event_agendas(event: Event, participations: Iterable[Participation]) -> dict[int, Agenda]:
    """{participation id: Agenda} for the given participants of `event`, in two queries."""
    participations = list(participations)
    requests = list(MeetingRequest.objects.filter(event=event).accepted().for_lists())
    delegates = delegates_by_participation(
        pk for r in requests for pk in (r.requester_id, r.recipient_id)
    )
    involving: dict[int, list[MeetingRequest]] = defaultdict(list)
    for meeting_request in requests:
        involving[meeting_request.requester_id].append(meeting_request)
        involving[meeting_request.recipient_id].append(meeting_request)
    return {
        participation.pk: _agenda(participation, involving[participation.pk], delegates)
        for participation in participations
    }
