"""The personal start page of a logged-in member: their organization, what to do next at each
event (with its deadline), requests waiting for an answer with their fit, upcoming meetings,
the best suggestions and the shortlist.

A bounded number of queries whatever the number of requests, meetings or events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kbio.directory.completeness import completeness_hints
from kbio.directory.models import Contact
from kbio.events.models import Event, EventStatus, Meeting, MeetingRequest, Participation
from kbio.matching.index import current_index
from kbio.matching.models import MatchingProfile
from kbio.matching.pairs import fits_for
from kbio.matching.shortlist import shortlisted
from kbio.matching.suggestions import Suggestion, explain, ranked

SUGGESTIONS = 5
SHORTLIST = 10
# Sorting the requests that wait for an answer: a GET parameter, newest first by default.
SORTS = {
    "date": _("Newest first"),
    "fit": _("Best fit first"),
    "event": _("By event"),
}


@dataclass
class Step:
    """One thing to do at an event, with its deadline when there is one."""

    text: str
    url: str
    deadline: datetime | None = None
    done: bool = False


@dataclass
class EventSteps:
    event: Event
    participation: Participation | None
    steps: list[Step] = field(default_factory=list)


@dataclass
class Waiting:
    request: MeetingRequest
    fit: Suggestion | None


@dataclass(frozen=True)
class Matching:
    """The ranking index and weights, read once per page."""

    index: object
    weights: object

    @classmethod
    def current(cls) -> Matching:
        return cls(current_index(), MatchingProfile.objects.weights())


def best_suggestions(
    organization, matching: Matching, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    index, weights = matching.index, matching.weights
    viewer = index.by_slug.get(organization.slug)
    if viewer is None:
        return []
    return [
        explain(index, viewer, candidate, weights)
        for candidate, _score in ranked(index, viewer, weights, limit=limit)
    ]


def waiting_for_answer(organization, sort: str = "date") -> list[Waiting]:
    """Pending requests to the organization at events that still take answers."""
    requests = list(
        MeetingRequest.objects.for_lists()
        .with_mutual()
        .pending()
        .filter(
            recipient__organization=organization,
            event__status__in=[EventStatus.OPEN, EventStatus.CLOSED],
        )
        .select_related("event")
    )
    fits = fits_for(organization.pk, [r.requester.organization_id for r in requests])
    rows = [Waiting(r, fits.get(r.requester.organization_id)) for r in requests]
    if sort == "fit":
        rows.sort(key=lambda w: (-(w.fit.score if w.fit else -1), -w.request.created.timestamp()))
    elif sort == "event":
        rows.sort(key=lambda w: (w.request.event.name, -w.request.created.timestamp()))
    else:
        rows.sort(key=lambda w: -w.request.created.timestamp())
    return rows


def sent_requests(organization) -> list[MeetingRequest]:
    """Live requests the organization sent at events not yet past the schedule."""
    return list(
        MeetingRequest.objects.for_lists()
        .live()
        .filter(requester__organization=organization)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("-created")[:20]
    )


def upcoming_meetings(organization, now: datetime | None = None) -> list[Meeting]:
    """Published meetings of the organization that have not ended, soonest first."""
    now = now or timezone.now()
    return list(
        Meeting.objects.standing()
        .filter(
            Q(requester__organization=organization) | Q(recipient__organization=organization),
            is_published=True,
            slot__ends_at__gt=now,
        )
        .select_related(
            "slot",
            "table",
            "request__event",
            "requester__organization",
            "recipient__organization",
        )
        .order_by("slot__starts_at")[:20]
    )


def next_steps(organization, waiting: list[Waiting]) -> list[EventSteps]:
    """For each event the organization is in, or could still join, what to do next."""
    now = timezone.now()
    mine = {
        p.event_id: p
        for p in Participation.objects.filter(organization=organization)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
    }
    events = {p.event_id: p.event for p in mine.values()}
    for event in Event.objects.filter(status=EventStatus.OPEN).exclude(pk__in=list(events)):
        events[event.pk] = event
    pending_by_event: dict[int, int] = {}
    for row in waiting:
        pending_by_event[row.request.event_id] = pending_by_event.get(row.request.event_id, 0) + 1
    blocked = set(
        Participation.blocked_slots.through.objects.filter(
            participation__in=list(mine.values())
        ).values_list("participation_id", flat=True)
    )
    found = []
    for event in sorted(events.values(), key=lambda e: e.name):
        participation = mine.get(event.pk)
        group = EventSteps(event, participation)
        deadline = event.requests_open_until
        if participation is None:
            if event.takes_registrations:
                group.steps.append(
                    Step(
                        str(_("Register your delegates")),
                        reverse("events:register", args=[event.slug]),
                        deadline,
                    )
                )
            found.append(group)
            continue
        if event.status == EventStatus.PUBLISHED:
            group.steps.append(
                Step(str(_("See your agenda")), reverse("events:agenda", args=[event.slug]))
            )
        else:
            if event.takes_answers:
                group.steps.append(
                    Step(
                        str(_("Set the times you cannot meet")),
                        reverse("events:availability", args=[event.slug]),
                        None,
                        done=participation.pk in blocked,
                    )
                )
            waiting_here = pending_by_event.get(event.pk, 0)
            if waiting_here:
                group.steps.append(
                    Step(
                        ngettext(
                            "Answer the request waiting for you",
                            "Answer the %(n)d requests waiting for you",
                            waiting_here,
                        )
                        % {"n": waiting_here},
                        reverse("events:inbox", args=[event.slug]),
                        deadline,
                    )
                )
            if event.accepts_requests(now):
                group.steps.append(
                    Step(
                        str(_("Ask for meetings")),
                        reverse("matching:organization_matches", args=[organization.slug]),
                        deadline,
                    )
                )
            elif event.status in (EventStatus.CLOSED, EventStatus.SCHEDULED):
                group.steps.append(
                    Step(
                        str(_("Requests are closed: the organizer is making the schedule")),
                        reverse("events:outbox", args=[event.slug]),
                        done=True,
                    )
                )
        found.append(group)
    return found


def start_context(contact: Contact, sort: str) -> dict:
    organization = contact.organization
    if sort not in SORTS:
        sort = "date"
    matching = Matching.current()
    waiting = waiting_for_answer(organization, sort)
    context = {
        "contact": contact,
        "organization": organization,
        "events": next_steps(organization, waiting),
        "waiting": waiting,
        "sort": sort,
        "sorts": SORTS,
        "sent": sent_requests(organization),
        "meetings": upcoming_meetings(organization),
        "suggestions": best_suggestions(organization, matching),
        "hints": [
            (hint.text, hint.url(organization.slug))
            for hint in completeness_hints(organization, matching.index)[:3]
        ],
        "shortlist": shortlisted(organization, limit=SHORTLIST),
        "edit_url": reverse("directory:edit_profile", args=[organization.slug])
        if contact.can_edit
        else None,
    }
    return context
