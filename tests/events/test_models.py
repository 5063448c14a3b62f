"""Rules the database itself enforces, and the small rules that live on the models."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kbio.events.models import Event, EventStatus, MeetingRequest, RequestStatus
from tests.events.factories import (
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
    TableFactory,
    TimeSlotFactory,
)
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_request_to_oneself(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            event=alice.participation.event,
            requester=alice.participation,
            recipient=alice.participation,
            message="Hello me",
        )


def test_database_refuses_a_second_live_request_in_the_same_direction(ab_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            event=ab_request.event,
            requester=ab_request.requester,
            recipient=ab_request.recipient,
            message="Again",
        )
    ab_request.status = RequestStatus.ACCEPTED
    ab_request.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            event=ab_request.event,
            requester=ab_request.requester,
            recipient=ab_request.recipient,
            message="Again",
        )


@pytest.mark.parametrize("status", [RequestStatus.CANCELLED, RequestStatus.DECLINED])
def test_a_new_request_is_allowed_once_the_old_one_is_over(ab_request, status):
    ab_request.status = status
    ab_request.decline_reason = "other" if status == RequestStatus.DECLINED else ""
    ab_request.save()
    again = MeetingRequest.objects.create(
        event=ab_request.event,
        requester=ab_request.requester,
        recipient=ab_request.recipient,
        message="Trying again",
    )
    assert again.pk != ab_request.pk


def test_both_directions_may_be_live_at_once(ab_request):
    back = MeetingRequest.objects.create(
        event=ab_request.event,
        requester=ab_request.recipient,
        recipient=ab_request.requester,
        message="We would like to meet you too",
    )
    assert MeetingRequest.objects.with_mutual().get(pk=back.pk).is_mutual


def test_database_ties_decline_reason_to_declined_status(ab_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.DECLINED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=ab_request.pk).update(decline_reason="too_early")
    MeetingRequest.objects.filter(pk=ab_request.pk).update(
        status=RequestStatus.DECLINED, decline_reason="too_early"
    )


def test_database_refuses_a_window_that_closes_before_it_opens(db):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(requests_open_from=now, requests_open_until=now - timedelta(hours=1))


def test_one_meeting_per_table_and_slot(db):
    meeting = MeetingFactory()
    other = MeetingRequestFactory(event=meeting.request.event, status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(request=other, slot=meeting.slot, table=meeting.table)


def test_a_participant_hosts_at_most_one_table(db):
    host = ParticipationFactory()
    TableFactory(event=host.event, number=1, host=host)
    with pytest.raises(IntegrityError), transaction.atomic():
        TableFactory(event=host.event, number=2, host=host)


def test_an_organization_registers_once_per_event(db):
    participation = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(event=participation.event, organization=participation.organization)


@pytest.mark.parametrize(
    ("status", "opens", "closes", "expected"),
    [
        (EventStatus.OPEN, None, None, True),
        (EventStatus.OPEN, -1, 1, True),
        (EventStatus.OPEN, 1, 2, False),
        (EventStatus.OPEN, -2, -1, False),
        (EventStatus.DRAFT, None, None, False),
        (EventStatus.CLOSED, -1, 1, False),
        (EventStatus.SCHEDULED, None, None, False),
    ],
)
def test_requests_are_taken_only_while_the_window_is_open(status, opens, closes, expected):
    now = timezone.now()
    event = Event(
        status=status,
        requests_open_from=None if opens is None else now + timedelta(days=opens),
        requests_open_until=None if closes is None else now + timedelta(days=closes),
    )
    assert event.accepts_requests(now) is expected


def test_time_zone_must_be_a_real_zone(db):
    event = EventFactory.build(slug="x", time_zone="Asia/Tokio")
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "time_zone" in exc.value.message_dict


def test_slots_of_one_event_may_not_overlap(event):
    first = event.sessions.get().slots.first()
    overlapping = TimeSlotFactory.build(
        session=first.session,
        starts_at=first.starts_at + timedelta(minutes=10),
        ends_at=first.ends_at + timedelta(minutes=10),
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()


def test_email_language_prefers_the_delegates_choice_then_the_organization():
    korean = OrganizationFactory.build(languages=["ko", "en"])
    assert ContactFactory.build(organization=korean).email_language == "ko"
    assert ContactFactory.build(organization=korean, language="ja").email_language == "ja"
    chinese_first = OrganizationFactory.build(languages=["zh", "ja"])
    assert ContactFactory.build(organization=chinese_first).email_language == "ja"
    assert ContactFactory.build(organization=OrganizationFactory.build()).email_language == "en"


def test_confidential_details_are_for_the_owner_and_after_acceptance(ab_request, alice_asset):
    ab_request.asset = alice_asset
    bob_org = ab_request.recipient.organization
    alice_org = ab_request.requester.organization
    assert ab_request.confidential_visible_to(alice_org)
    assert not ab_request.confidential_visible_to(bob_org)
    ab_request.status = RequestStatus.ACCEPTED
    assert ab_request.confidential_visible_to(bob_org)


def test_assets_unlocked_for_lists_other_sides_assets_of_accepted_requests(
    ab_request, alice_asset, charlie
):
    bob_org = ab_request.recipient.organization
    ab_request.asset = alice_asset
    ab_request.save()
    assert MeetingRequest.objects.assets_unlocked_for(bob_org) == set()
    ab_request.status = RequestStatus.ACCEPTED
    ab_request.save()
    assert MeetingRequest.objects.assets_unlocked_for(bob_org) == {alice_asset.pk}
    # Its owner does not need unlocking; a third organization gets nothing.
    assert MeetingRequest.objects.assets_unlocked_for(alice_asset.organization) == set()
    assert MeetingRequest.objects.assets_unlocked_for(charlie.organization) == set()
