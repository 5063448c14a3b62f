"""The database itself refuses a double-booked participant or table, whoever writes the row.

These tests go around every form and service (`objects.create`, `.update()`, raw admin
edits), so they fail if the triggers of migration 0003 are missing, for instance because a
later migration on SQLite rebuilt the table and dropped them.
"""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from kbio.events.models import Meeting, MeetingRequest, Participation
from tests.events import races
from tests.events.factories import MeetingRequestFactory, TableFactory
from tests.factories import OrganizationFactory


@pytest.fixture
def slots(event):
    return list(event.sessions.get().slots.order_by("starts_at"))


@pytest.fixture
def tables(event):
    return list(event.tables.order_by("number"))


def accepted(event, requester, recipient):
    return MeetingRequestFactory(
        event=event, requester=requester, recipient=recipient, status="accepted"
    )


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**fields)


def test_a_participant_cannot_be_in_two_meetings_in_one_slot(
    event, alice, bob, charlie, slots, tables
):
    first = accepted(event, alice.participation, bob.participation)
    second = accepted(event, charlie.participation, alice.participation)
    Meeting.objects.create(request=first, slot=slots[0], table=tables[0])
    refused(request=second, slot=slots[0], table=tables[1])
    # The next slot is fine.
    Meeting.objects.create(request=second, slot=slots[1], table=tables[1])
    assert Meeting.objects.count() == 2


def test_bulk_create_is_checked_too(event, alice, bob, charlie, slots, tables):
    first = accepted(event, alice.participation, bob.participation)
    second = accepted(event, bob.participation, charlie.participation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.bulk_create(
            [
                Meeting(
                    request=first,
                    requester=first.requester,
                    recipient=first.recipient,
                    slot=slots[2],
                    table=tables[0],
                ),
                Meeting(
                    request=second,
                    requester=second.requester,
                    recipient=second.recipient,
                    slot=slots[2],
                    table=tables[1],
                ),
            ]
        )
    assert not Meeting.objects.exists()


def test_moving_a_meeting_onto_a_busy_slot_is_refused(event, alice, bob, charlie, slots, tables):
    first = accepted(event, alice.participation, bob.participation)
    second = accepted(event, charlie.participation, alice.participation)
    Meeting.objects.create(request=first, slot=slots[0], table=tables[0])
    moved = Meeting.objects.create(request=second, slot=slots[1], table=tables[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=moved.pk).update(slot=slots[0])
    moved.refresh_from_db()
    assert moved.slot == slots[1]


def test_a_participant_with_two_delegates_holds_two_meetings_at_once(
    event, alice, bob, charlie, slots, tables
):
    Participation.objects.filter(pk=alice.participation.pk).update(capacity=2)
    Meeting.objects.create(
        request=accepted(event, alice.participation, bob.participation),
        slot=slots[0],
        table=tables[0],
    )
    Meeting.objects.create(
        request=accepted(event, alice.participation, charlie.participation),
        slot=slots[0],
        table=tables[1],
    )
    # A third at once is beyond two delegates.
    third = OrganizationFactory(slug="third-org")
    third_participation = Participation.objects.create(event=event, organization=third)
    extra = TableFactory(event=event, number=3)
    refused(
        request=accepted(event, third_participation, alice.participation),
        slot=slots[0],
        table=extra,
    )
    # Nor can the organizer lower the capacity below what is already booked.
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=alice.participation.pk).update(capacity=1)
    assert Participation.objects.get(pk=alice.participation.pk).capacity == 2


def test_a_table_holds_one_meeting_per_slot(event, alice, bob, charlie, slots, tables):
    third = Participation.objects.create(event=event, organization=OrganizationFactory())
    Meeting.objects.create(
        request=accepted(event, alice.participation, bob.participation),
        slot=slots[0],
        table=tables[0],
    )
    refused(
        request=accepted(event, charlie.participation, third),
        slot=slots[0],
        table=tables[0],
    )


def test_only_an_accepted_request_becomes_a_meeting(event, ab_request, slots, tables):
    assert ab_request.status == "pending"
    refused(request=ab_request, slot=slots[0], table=tables[0])


def test_the_sides_of_a_meeting_are_its_requests(event, alice, bob, charlie, slots, tables):
    meeting_request = accepted(event, alice.participation, bob.participation)
    # Written straight to the table, around Meeting.save(), with the wrong recipient.
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.bulk_create(
            [
                Meeting(
                    request=meeting_request,
                    requester=alice.participation,
                    recipient=charlie.participation,
                    slot=slots[0],
                    table=tables[0],
                )
            ]
        )
    Meeting.objects.bulk_create(
        [
            Meeting(
                request=meeting_request,
                requester=alice.participation,
                recipient=bob.participation,
                slot=slots[0],
                table=tables[0],
            )
        ]
    )
    assert Meeting.objects.get().recipient == bob.participation


def test_slot_and_table_of_another_event_are_refused(event, alice, bob, slots, tables):
    other_table = TableFactory(number=1)  # a table of a different event
    refused(
        request=accepted(event, alice.participation, bob.participation),
        slot=slots[0],
        table=other_table,
    )


def test_save_copies_the_sides_from_the_request(event, alice, bob, slots, tables):
    meeting = Meeting.objects.create(
        request=accepted(event, alice.participation, bob.participation),
        slot=slots[0],
        table=tables[0],
    )
    assert (meeting.requester, meeting.recipient) == (alice.participation, bob.participation)
    assert MeetingRequest.objects.get(meeting=meeting).requester == meeting.requester


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises all writers with one file lock; this race needs PostgreSQL.",
)
def test_two_sessions_booking_one_participant_at_once_end_with_one_meeting(
    event, alice, bob, charlie, slots, tables
):
    """The first session's insert holds alice's row lock until it commits; the second one's
    check waits for it and then sees the committed meeting, so it is refused."""
    first = accepted(event, alice.participation, bob.participation)
    second = accepted(event, charlie.participation, alice.participation)
    results = races.race(
        lambda: Meeting.objects.create(request=first, slot=slots[0], table=tables[0]),
        lambda: Meeting.objects.create(request=second, slot=slots[0], table=tables[1]),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], IntegrityError)
    assert Meeting.objects.filter(slot=slots[0]).count() == 1
