"""The write rules of the partnering event, called directly."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kbio.events import services
from kbio.events.models import EventStatus, Meeting, MeetingRequest, RequestStatus, TimeSlot
from tests.events.factories import (
    EventFactory,
    MeetingFactory,
    ParticipationFactory,
    SessionFactory,
    TableFactory,
    TimeSlotFactory,
)
from tests.factories import AssetFactory, ContactFactory

pytestmark = pytest.mark.django_db


def send(requester, recipient, **kwargs):
    return services.meeting_request_create(
        requester=requester.participation,
        recipient=recipient.participation,
        message=kwargs.pop("message", "Shall we meet?"),
        sent_by=requester.user,
        **kwargs,
    )


# --- create ---


def test_create_sends_a_pending_request(alice, bob, alice_asset):
    request = send(alice, bob, asset=alice_asset, message="  About KB-101.  ")
    assert request.status == RequestStatus.PENDING
    assert request.message == "About KB-101."
    assert request.asset == alice_asset
    assert request.event == alice.participation.event


def test_create_refuses_a_request_to_oneself(alice):
    with pytest.raises(ValidationError, match="own organization"):
        send(alice, alice)
    assert not MeetingRequest.objects.exists()


def test_create_refuses_a_duplicate_while_the_first_is_live(alice, bob, ab_request):
    with pytest.raises(ValidationError, match="already have a request"):
        send(alice, bob)
    assert MeetingRequest.objects.count() == 1


def test_create_allows_the_other_direction(alice, bob, ab_request):
    back = send(bob, alice)
    assert MeetingRequest.objects.with_mutual().get(pk=back.pk).is_mutual
    assert MeetingRequest.objects.with_mutual().get(pk=ab_request.pk).is_mutual


@pytest.mark.parametrize(
    "change",
    [
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CLOSED},
        {"status": EventStatus.SCHEDULED},
        {"requests_open_until": -1},
        {"requests_open_from": 1, "requests_open_until": 2},
    ],
    ids=["draft", "closed", "scheduled", "window-over", "window-not-yet"],
)
def test_create_only_while_the_window_is_open(alice, bob, change):
    event = alice.participation.event
    for field, value in change.items():
        if field.startswith("requests_"):
            value = timezone.now() + timedelta(days=value)
        setattr(event, field, value)
    event.save()
    alice.participation.refresh_from_db()
    with pytest.raises(ValidationError, match="not taking meeting requests"):
        send(alice, bob)
    assert not MeetingRequest.objects.exists()


def test_create_respects_the_organizers_cap_on_unanswered_requests(alice, bob, charlie):
    event = alice.participation.event
    event.max_open_requests = 1
    event.save()
    alice.participation.refresh_from_db()
    first = send(alice, bob)
    with pytest.raises(ValidationError, match="1 unanswered requests"):
        send(alice, charlie)
    # An answered request no longer counts against the cap.
    services.meeting_request_decline(meeting_request=first, by=bob.user, reason="too_early")
    assert send(alice, charlie).status == RequestStatus.PENDING


def test_create_refuses_an_asset_of_a_third_organization(alice, bob, charlie):
    foreign = AssetFactory(organization=charlie.organization)
    with pytest.raises(ValidationError, match="asset must belong"):
        send(alice, bob, asset=foreign)
    assert not MeetingRequest.objects.exists()


def test_create_accepts_the_recipients_asset(alice, bob):
    theirs = AssetFactory(organization=bob.organization)
    assert send(alice, bob, asset=theirs).asset == theirs


def test_create_refuses_a_participant_of_another_event(alice):
    elsewhere = ParticipationFactory(event=EventFactory())
    with pytest.raises(ValidationError, match="participants of this event"):
        services.meeting_request_create(
            requester=alice.participation, recipient=elsewhere, message="Hi", sent_by=alice.user
        )


# --- answer and cancel ---


def test_accept_marks_the_request_accepted_by_the_recipient(ab_request, bob):
    services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED
    assert ab_request.answered_by == bob.user
    assert ab_request.answered_at is not None


def test_a_request_is_answered_only_once(ab_request, bob):
    services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    with pytest.raises(ValidationError, match="no longer pending"):
        services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    with pytest.raises(ValidationError, match="no longer pending"):
        services.meeting_request_decline(meeting_request=ab_request, by=bob.user, reason="other")
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED


def test_a_stale_copy_cannot_accept_a_cancelled_request(ab_request, bob):
    stale = MeetingRequest.objects.get(pk=ab_request.pk)
    services.meeting_request_cancel(meeting_request=ab_request)
    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_request_accept(meeting_request=stale, by=bob.user)
    stale.refresh_from_db()
    assert stale.status == RequestStatus.CANCELLED


def test_decline_records_the_structured_reason_and_note(ab_request, bob):
    services.meeting_request_decline(
        meeting_request=ab_request, by=bob.user, reason="outside_focus", note=" Not our area. "
    )
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.DECLINED
    assert ab_request.get_decline_reason_display() == "Outside our focus"
    assert ab_request.decline_note == "Not our area."


def test_declining_as_outside_our_focus_lowers_partners_like_the_requester(ab_request, bob):
    """bob (pharma) declines alice's venture as outside its focus: in bob's suggestions,
    ventures on alice's modalities now rank lower, and the reason says so."""
    from kbio.directory.models import FocusArea
    from kbio.matching.index import current_index
    from kbio.matching.models import MatchingProfile
    from tests.factories import FocusAreaFactory, OrganizationFactory, PartnershipTypeFactory

    ipsc = FocusAreaFactory(slug="ipsc-cell-therapy", kind=FocusArea.Kind.MODALITY)
    bone = FocusAreaFactory(slug="musculoskeletal", kind=FocusArea.Kind.THERAPEUTIC_AREA)
    licensing = PartnershipTypeFactory(slug="licensing")
    alice = ab_request.requester.organization
    alike = OrganizationFactory(slug="alike-cells", kind="venture", country="KR")
    for venture in (alice, alike):
        venture.focus_areas.add(ipsc, bone)
        venture.offers.add(licensing)
    bob.organization.focus_areas.add(ipsc, bone)
    bob.organization.seeks.add(licensing)
    weights = MatchingProfile.objects.weights()

    def alike_for_bob():
        index = current_index()
        row = index.row(index.by_slug[bob.organization.slug])
        return index, index.engine.scores(row, weights)[index.row(index.by_slug["alike-cells"])]

    services.meeting_request_decline(meeting_request=ab_request, by=bob.user, reason="too_early")
    _index, before = alike_for_bob()
    ab_request.status = RequestStatus.PENDING
    ab_request.decline_reason = ""
    ab_request.save()
    services.meeting_request_decline(
        meeting_request=ab_request, by=bob.user, reason="outside_focus"
    )
    index, after = alike_for_bob()
    assert 0 < after < before
    found = index.engine.explain(
        index.row(index.by_slug[bob.organization.slug]),
        index.row(index.by_slug["alike-cells"]),
        weights,
    )
    assert "lowered_by_your_feedback" in [line.code for line in found.missing]


def test_decline_needs_a_known_reason(ab_request, bob):
    with pytest.raises(ValidationError, match="reason"):
        services.meeting_request_decline(meeting_request=ab_request, by=bob.user, reason="rude")
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


@pytest.mark.parametrize("status", [RequestStatus.PENDING, RequestStatus.ACCEPTED])
def test_cancel_withdraws_a_live_request(ab_request, status):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=status)
    services.meeting_request_cancel(meeting_request=ab_request)
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.CANCELLED
    assert ab_request.cancelled_at is not None


def test_cancel_of_a_declined_request_is_refused(ab_request, bob):
    services.meeting_request_decline(meeting_request=ab_request, by=bob.user, reason="other")
    with pytest.raises(ValidationError, match="already declined"):
        services.meeting_request_cancel(meeting_request=ab_request)


def test_cancel_frees_an_unpublished_meeting(ab_request, event):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.ACCEPTED)
    ab_request.refresh_from_db()
    MeetingFactory(request=ab_request, slot=TimeSlot.objects.first(), table=event.tables.first())
    services.meeting_request_cancel(meeting_request=ab_request)
    assert not Meeting.objects.exists()


def test_cancel_of_a_published_meeting_goes_through_the_organizer(ab_request, event):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.ACCEPTED)
    ab_request.refresh_from_db()
    MeetingFactory(
        request=ab_request,
        slot=TimeSlot.objects.first(),
        table=event.tables.first(),
        is_published=True,
    )
    with pytest.raises(ValidationError, match="published schedule"):
        services.meeting_request_cancel(meeting_request=ab_request)
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("status", [EventStatus.SCHEDULED, EventStatus.PUBLISHED])
def test_no_answers_or_cancellations_once_scheduled(ab_request, bob, status):
    ab_request.event.status = status
    ab_request.event.save()
    for call in (
        lambda: services.meeting_request_accept(meeting_request=ab_request, by=bob.user),
        lambda: services.meeting_request_decline(
            meeting_request=ab_request, by=bob.user, reason="other"
        ),
        lambda: services.meeting_request_cancel(meeting_request=ab_request),
    ):
        with pytest.raises(ValidationError, match="organizer"):
            call()
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


def test_answers_are_still_taken_after_requests_close(ab_request, bob):
    services.event_close_requests(event=ab_request.event)
    services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED


# --- registration and availability ---


def test_register_records_delegates_and_capacity(event):
    org = ContactFactory().organization
    first, second = ContactFactory(organization=org), ContactFactory(organization=org)
    participation = services.participation_register(
        event=event, organization=org, delegates=[first, second]
    )
    assert set(participation.delegates.all()) == {first, second}
    assert participation.capacity == 2
    services.participation_register(event=event, organization=org, delegates=[second])
    participation.refresh_from_db()
    assert list(participation.delegates.all()) == [second]
    assert participation.capacity == 1


def test_a_host_with_a_fixed_table_holds_one_meeting_at_a_time(event, bob):
    TableFactory(event=event, number=9, host=bob.participation)
    colleague = ContactFactory(organization=bob.organization)
    participation = services.participation_register(
        event=event, organization=bob.organization, delegates=[bob.contact, colleague]
    )
    assert participation.capacity == 1


def test_register_refuses_people_of_another_organization(event, alice, bob):
    with pytest.raises(ValidationError, match="your organization"):
        services.participation_register(
            event=event, organization=alice.organization, delegates=[alice.contact, bob.contact]
        )
    assert list(alice.participation.delegates.all()) == [alice.contact]


def test_register_only_while_the_event_is_open(event):
    event.status = EventStatus.CLOSED
    event.save()
    contact = ContactFactory()
    with pytest.raises(ValidationError, match="not open"):
        services.participation_register(
            event=event, organization=contact.organization, delegates=[contact]
        )


def test_block_slots_replaces_the_choice(alice, event):
    first, second, third = TimeSlot.objects.of_event(event)
    services.participation_block_slots(participation=alice.participation, slots=[first, third])
    services.participation_block_slots(participation=alice.participation, slots=[second])
    assert list(alice.participation.blocked_slots.all()) == [second]


def test_block_slots_refuses_a_slot_of_another_event(alice):
    foreign = TimeSlotFactory()
    with pytest.raises(ValidationError, match="not part of this event"):
        services.participation_block_slots(participation=alice.participation, slots=[foreign])
    assert not alice.participation.blocked_slots.exists()


# --- the organizer's window and programme ---


def test_open_and_close_the_request_window(db):
    now = timezone.now()
    event = EventFactory(
        status=EventStatus.DRAFT, requests_open_from=None, requests_open_until=None
    )
    services.event_open_requests(event=event, now=now)
    assert event.accepts_requests(now + timedelta(minutes=1))
    services.event_close_requests(event=event, now=now + timedelta(hours=1))
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    assert event.requests_open_until == now + timedelta(hours=1)
    assert not event.accepts_requests(now + timedelta(hours=2))


def test_opening_clears_a_close_time_already_past(db):
    now = timezone.now()
    event = EventFactory(
        status=EventStatus.CLOSED,
        requests_open_from=now - timedelta(days=2),
        requests_open_until=now - timedelta(days=1),
    )
    services.event_open_requests(event=event, now=now)
    event.refresh_from_db()
    assert event.requests_open_until is None
    assert event.accepts_requests(now)


def test_a_scheduled_event_cannot_reopen(db):
    event = EventFactory(status=EventStatus.SCHEDULED)
    with pytest.raises(ValidationError, match="already scheduled"):
        services.event_open_requests(event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


def test_fill_slots_cuts_a_session_by_meeting_length_and_changeover(db):
    event = EventFactory(meeting_minutes=25, changeover_minutes=5)
    session = SessionFactory(event=event)  # 90 minutes
    slots = services.session_fill_slots(session=session)
    local = [timezone.localtime(s.starts_at, event.tzinfo).strftime("%H:%M") for s in slots]
    assert local == ["14:00", "14:30", "15:00"]
    assert all(slot.minutes == 25 for slot in slots)


def test_duplicate_moves_programme_and_tables(event):
    copy = services.event_duplicate(
        event=event, slug="autumn", name="Autumn", first_day_offset=timedelta(days=7)
    )
    assert copy.status == EventStatus.DRAFT
    original = list(TimeSlot.objects.of_event(event).values_list("starts_at", flat=True))
    moved = list(TimeSlot.objects.of_event(copy).values_list("starts_at", flat=True))
    assert moved == [start + timedelta(days=7) for start in original]
    assert copy.tables.count() == event.tables.count()
    assert not copy.participations.exists()
