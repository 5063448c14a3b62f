"""The number of queries of inbox, outbox, agenda, the event page, its participants and a
request with its thread does not grow with data."""

import pytest
from django.urls import reverse

from kbio.events.models import Participation, RequestStatus, TimeSlot
from kbio.matching.services import match_index_invalidate
from tests.events.factories import (
    AttendeeFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
    TableFactory,
)
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"


def populate(event, bob, size: int) -> None:
    """`size` partners, each with a delegate, who asked bob (a third of them accepted and
    scheduled, with an asset) and `size` partners bob asked, some of whom asked back."""
    slots = list(TimeSlot.objects.of_event(event))
    bob.participation.blocked_slots.add(slots[0])
    # bob sends enough delegates to hold its accepted meetings side by side.
    Participation.objects.filter(pk=bob.participation.pk).update(capacity=size)
    for i in range(size):
        partner = ParticipationFactory(event=event)
        AttendeeFactory(participation=partner)
        asset = AssetFactory(organization=partner.organization) if i % 2 else None
        incoming = MeetingRequestFactory(
            event=event, requester=partner, recipient=bob.participation, asset=asset
        )
        if i % 3 == 0:
            incoming.status = RequestStatus.ACCEPTED
            incoming.save()
            MeetingFactory(
                request=incoming,
                slot=slots[1 + (i // 3) % (len(slots) - 1)],
                table=TableFactory(event=event, number=100 + i),
                is_published=True,
            )
        MeetingRequestFactory(event=event, requester=bob.participation, recipient=partner)


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # The matching index's version and the weights, for each request's fit, are the 7th
        # and 8th.
        ("events:inbox", 8),
        ("events:outbox", 7),
        # The partners' delegates at the event, for the printed agenda, are the 12th.
        ("events:agenda", 12),
        ("events:detail", 10),
        # Focus areas and countries for the filters, the index's version and the weights.
        ("events:participants", 13),
    ],
)
def test_query_count_is_fixed(bob, event, django_assert_num_queries, size, name, queries):
    populate(event, bob, size)
    # The partners join the matching index; the first page view after that rebuilds it.
    match_index_invalidate()
    url = reverse(name, args=[EVENT])
    assert bob.client.get(url).status_code == 200
    with django_assert_num_queries(queries):
        response = bob.client.get(url)
    assert response.status_code == 200
    # Every page lists partners (the agenda only the accepted third).
    assert response.content.decode().count("Organization ") >= size // 3


@pytest.mark.parametrize("size", [2, 12])
def test_calendar_file_query_count_is_fixed(bob, event, django_assert_num_queries, size):
    populate(event, bob, size)
    with django_assert_num_queries(7):
        response = bob.client.get(reverse("events:agenda_ics", args=[EVENT]))
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == len(range(0, size, 3))
