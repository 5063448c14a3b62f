"""Fixtures of the job tests: the partnering event of the events tests (alice, bob, charlie),
an organizer's client, and an event whose one accepted request is placed but not published."""

import pytest

from kbio.events.models import Event, EventStatus, RequestStatus, TimeSlot
from tests.events.factories import MeetingFactory, MeetingRequestFactory
from tests.organizer.conftest import (
    alice,
    anonymous,
    bob,
    charlie,
    english_urls,
    event,
    fast_password_hashing,
    staff,
    upload,
)

__all__ = [
    "alice",
    "anonymous",
    "bob",
    "charlie",
    "english_urls",
    "event",
    "fast_password_hashing",
    "staff",
    "upload",
]


@pytest.fixture
def closed(event, alice, bob, charlie):
    """Requests closed; alice's request to bob accepted, nothing scheduled yet."""
    MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    event.refresh_from_db()
    return event


@pytest.fixture
def scheduled(event, alice, bob, charlie):
    """alice's accepted request to bob placed but not published; charlie has no meeting."""
    meeting_request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=meeting_request,
        slot=TimeSlot.objects.of_event(event)[1],
        table=event.tables.get(number=2),
        is_published=False,
    )
    Event.objects.filter(pk=event.pk).update(status=EventStatus.SCHEDULED)
    event.refresh_from_db()
    return event
