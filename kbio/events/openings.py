"""Where a signed-in participant can ask another organization for a meeting.

Profiles and partner suggestions show a "Request a meeting" button for every event that takes
requests now and where both organizations are registered, or the state of the request already
sent. Three queries, whatever the number of organizations asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from kbio.directory.models import Organization

from .models import Event, MeetingRequest, Participation


@dataclass(frozen=True)
class Opening:
    event: Event
    request_url: str
    sent: MeetingRequest | None  # a live request already sent to this organization
    received: MeetingRequest | None  # a live request this organization sent to the viewer

    @property
    def mutual(self) -> bool:
        return self.sent is not None and self.received is not None


def request_openings(
    viewer: Organization | None, organization_ids: Iterable[int]
) -> dict[int, list[Opening]]:
    """For each organization id, the events in which `viewer` can ask it for a meeting now."""
    wanted = {pk for pk in organization_ids if viewer is None or pk != viewer.pk}
    if viewer is None or not wanted:
        return {}
    mine = {
        p.event_id: p
        for p in Participation.objects.filter(
            organization=viewer, event__in=Event.objects.accepting_requests()
        ).select_related("event")
    }
    if not mine:
        return {}
    theirs = list(
        Participation.objects.filter(event_id__in=mine, organization_id__in=wanted).select_related(
            "organization"
        )
    )
    live = {}
    for meeting_request in MeetingRequest.objects.live().filter(
        event_id__in=mine, requester_id__in=[p.pk for p in mine.values()]
    ) | MeetingRequest.objects.live().filter(
        event_id__in=mine, recipient_id__in=[p.pk for p in mine.values()]
    ):
        live[(meeting_request.requester_id, meeting_request.recipient_id)] = meeting_request
    openings: dict[int, list[Opening]] = defaultdict(list)
    for participation in sorted(theirs, key=lambda p: mine[p.event_id].event.name):
        own = mine[participation.event_id]
        event = own.event
        openings[participation.organization_id].append(
            Opening(
                event=event,
                request_url=reverse(
                    "events:request_create", args=[event.slug, participation.organization.slug]
                ),
                sent=live.get((own.pk, participation.pk)),
                received=live.get((participation.pk, own.pk)),
            )
        )
    return dict(openings)
