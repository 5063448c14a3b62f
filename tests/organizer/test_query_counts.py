"""The organizer pages read a fixed number of queries, however large the event."""

from datetime import date

import pytest
from django.urls import reverse

from kbio.events.models import RequestStatus
from kbio.outcomes.services import outcome_record
from tests.events.factories import (
    AttendeeFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
    TableFactory,
)
from tests.factories import AssetFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def populate(event, staff_user, size: int) -> None:
    """`size` ventures (each with a delegate and an asset) asking `size` pharma companies:
    a third accepted and met (with an outcome), a third declined, the rest pending."""
    slots = list(event.sessions.get().slots.order_by("starts_at"))
    pharma = [
        ParticipationFactory(
            event=event, organization=OrganizationFactory(kind="pharma", country="JP")
        )
        for _ in range(size)
    ]
    for i in range(size):
        venture = ParticipationFactory(event=event)
        AttendeeFactory(participation=venture)
        AssetFactory(organization=venture.organization)
        r = MeetingRequestFactory(event=event, requester=venture, recipient=pharma[i])
        if i % 3 == 0:
            r.status = RequestStatus.ACCEPTED
            r.save()
            MeetingFactory(
                request=r,
                slot=slots[i % len(slots)],
                table=TableFactory(event=event, number=100 + i),
                is_published=True,
            )
            outcome_record(
                meeting_request=r,
                stage="follow_up",
                on=date(2025, 2, 1),
                note="",
                by=staff_user,
                side=None,
            )
        elif i % 3 == 1:
            r.status, r.decline_reason = RequestStatus.DECLINED, "too_early"
            r.save()


@pytest.mark.parametrize("size", [3, 15])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # One of each is the header's "is this login a member of an organization?"; two are
        # the login's permissions (its own and its groups'), asked once per request.
        ("organizer:dashboard", 14),
        ("organizer:schedule", 15),  # with the latest job and who did not get the e-mail
        ("organizer:outcomes", 8),
        ("organizer:requests_export", 6),
        ("organizer:schedule_export", 6),
        ("organizer:outcomes_export", 6),
    ],
)
def test_query_count_is_fixed(staff, past_event, django_assert_num_queries, size, name, queries):
    populate(past_event, staff.user, size)
    url = reverse(name, args=[past_event.slug])
    staff.get(url)  # builds the matching index once, as the first request of a process does
    with django_assert_num_queries(queries):
        response = staff.get(url)
    assert response.status_code == 200
    assert response.content


@pytest.mark.parametrize("size", [3, 15])
def test_organizations_export_query_count(staff, past_event, django_assert_num_queries, size):
    populate(past_event, staff.user, size)
    with django_assert_num_queries(8):  # two of them the login's permissions
        response = staff.get(reverse("organizer:organizations_export"))
    assert response.content.decode("utf-8-sig").count("\n") == 1 + 2 * size
