"""A partnering day that has taken place: alice (venture) met bob (pharma) at 14:00 on
18 January 2025; charlie (CRO) took part but not in that meeting; `staff` is the organizer."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from kbio.events.models import EventStatus, RequestStatus
from tests.events.conftest import anonymous, english_urls, fast_password_hashing, make_party
from tests.events.factories import (
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    SessionFactory,
    TableFactory,
    TimeSlotFactory,
    tokyo,
)
from tests.factories import OrganizerFactory

__all__ = ["anonymous", "english_urls", "fast_password_hashing"]


@pytest.fixture
def past_event(db):
    event = EventFactory(
        slug="winter-partnering",
        name="Winter Partnering Day",
        status=EventStatus.PUBLISHED,
        requests_open_from=None,
        requests_open_until=None,
    )
    session = SessionFactory(event=event, starts_at=tokyo(2025, 1, 18, 14, 0))
    for i in range(3):
        TimeSlotFactory(session=session, starts_at=session.starts_at + timedelta(minutes=30 * i))
    TableFactory(event=event, number=1)
    TableFactory(event=event, number=2)
    return event


@pytest.fixture
def alice(past_event):
    return make_party(past_event, "alice", kind="venture", country="KR")


@pytest.fixture
def bob(past_event):
    return make_party(past_event, "bob", kind="pharma", country="JP")


@pytest.fixture
def charlie(past_event):
    return make_party(past_event, "charlie", kind="cro_cdmo", country="JP")


@dataclass
class Held:
    request: object
    meeting: object


@pytest.fixture
def held(past_event, alice, bob):
    """alice's accepted request to bob, met at 14:00 at table 1 (published)."""
    meeting_request = MeetingRequestFactory(
        event=past_event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    slot = past_event.sessions.get().slots.order_by("starts_at").first()
    meeting = MeetingFactory(
        request=meeting_request,
        slot=slot,
        table=past_event.tables.get(number=1),
        is_published=True,
    )
    return Held(meeting_request, meeting)


@pytest.fixture
def staff(db):
    user = OrganizerFactory()
    client = Client()
    client.force_login(user)
    client.user = user
    return client
