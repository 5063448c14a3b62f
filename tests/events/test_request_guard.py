"""A meeting stands only on an accepted request, whichever of the two rows changes, and a
request changes status by one set of rules, on the pages, in the import and in admin.

The database tests go around every form and service (`.update()`, a session racing another),
so they fail if the request-side triggers of migration 0007 are missing.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from kbio.events import services
from kbio.events.models import EventStatus, Meeting, MeetingRequest, RequestStatus, TimeSlot
from kbio.events.request_states import TRANSITIONS, sources, transition_error
from kbio.scheduling import service as scheduling
from kbio.scheduling import solver as scheduler
from tests.events import races
from tests.events.factories import MeetingFactory, MeetingRequestFactory
from tests.factories import OrganizerFactory, UserFactory

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture
def placed(event, alice, bob):
    """alice's accepted request to bob with an unpublished meeting in the first slot."""
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=request,
        slot=TimeSlot.objects.of_event(event).first(),
        table=event.tables.get(number=1),
    )
    return request


# --- the database ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_to_cancel_a_request_that_has_a_meeting(placed):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=placed.pk).update(status=RequestStatus.CANCELLED)
    placed.refresh_from_db()
    assert placed.status == RequestStatus.ACCEPTED
    assert Meeting.objects.filter(request=placed).exists()


@pytest.mark.django_db
def test_the_database_refuses_other_sides_for_a_placed_request(placed, charlie):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=placed.pk).update(requester=charlie.participation)
    meeting = Meeting.objects.get(request=placed)
    assert meeting.requester_id == MeetingRequest.objects.get(pk=placed.pk).requester_id


@pytest.mark.django_db
def test_a_request_without_a_meeting_changes_freely(event, alice, bob):
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CANCELLED)
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED


@pytest.mark.django_db
def test_withdrawing_a_placed_request_takes_its_unpublished_meeting_away(placed, event):
    event.status = EventStatus.CLOSED
    event.save()
    services.meeting_request_cancel(meeting_request=placed)
    assert placed.status == RequestStatus.CANCELLED
    assert not Meeting.objects.filter(request=placed).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises all writers; this race needs PostgreSQL."
)
def test_a_cancel_racing_a_meeting_being_written_never_leaves_the_meeting(event, alice, bob):
    """The scheduler's session writes a meeting and has not committed; the requester cancels
    at that moment. Before migration 0007 both committed and the meeting stayed on a
    cancelled request. Now the cancel waits for the meeting's commit, then takes it away."""
    event.status = EventStatus.CLOSED
    event.save()
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    slot = TimeSlot.objects.of_event(event).first()
    table = event.tables.get(number=1)
    results = races.race(
        lambda: Meeting.objects.create(request=request, slot=slot, table=table),
        lambda: services.meeting_request_cancel(
            meeting_request=MeetingRequest.objects.get(pk=request.pk)
        ),
    )
    assert results == {"first": "ok", "second": "ok"}
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED
    assert not Meeting.objects.filter(request_id=request.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises all writers; this race needs PostgreSQL."
)
def test_a_meeting_written_while_a_cancel_is_uncommitted_is_refused(event, alice, bob):
    """The other order: the cancel has changed the status and not committed; a meeting
    written now waits for it and is refused, instead of landing on the cancelled request."""
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    slot = TimeSlot.objects.of_event(event).first()
    table = event.tables.get(number=1)
    results = races.race(
        lambda: MeetingRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CANCELLED),
        lambda: Meeting.objects.create(request_id=request.pk, slot=slot, table=table),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], IntegrityError)
    assert not Meeting.objects.filter(request_id=request.pk).exists()


# --- the scheduler -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_withdrawn_while_the_scheduler_runs_is_left_out_and_listed(
    event, alice, bob, charlie
):
    event.status = EventStatus.CLOSED
    event.save()
    kept = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    withdrawn = MeetingRequestFactory(
        event=event,
        requester=charlie.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    real_schedule = scheduler.schedule

    def schedule_then_withdraw(problem, options):
        result = real_schedule(problem, options)
        # Charlie withdraws while the scheduler works (a write the run did not see).
        MeetingRequest.objects.filter(pk=withdrawn.pk).update(status=RequestStatus.CANCELLED)
        return result

    with mock.patch.object(scheduling.scheduler, "schedule", schedule_then_withdraw):
        run, _result = scheduling.schedule_event(event=event)

    assert set(Meeting.objects.values_list("request_id", flat=True)) == {kept.pk}
    assert run.placed == 1
    assert {"request": withdrawn.pk, "reason": scheduling.WITHDRAWN, "participant": None} in (
        run.details["unplaced"]
    )
    organizer = Client()
    organizer.force_login(OrganizerFactory())
    page = organizer.get(reverse("organizer:schedule", args=[event.slug]))
    assert "withdrawn while the scheduler ran" in page.content.decode()


# --- what the pages and files list ---------------------------------------------------------


@pytest.mark.django_db
def test_schedule_page_and_csv_list_only_meetings_of_accepted_requests(placed, event):
    """A meeting left on a cancelled request by a database written before the guard (the
    trigger is dropped inside this test's transaction to make one) is not listed."""
    event.status = EventStatus.SCHEDULED
    event.save()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS events_request_guard ON events_meetingrequest")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS events_request_guard")
    MeetingRequest.objects.filter(pk=placed.pk).update(status=RequestStatus.CANCELLED)
    organizer = Client()
    organizer.force_login(OrganizerFactory())
    csv = organizer.get(reverse("organizer:schedule_export", args=[event.slug])).content.decode()
    assert "Alice Org" not in csv
    page = organizer.get(reverse("organizer:schedule", args=[event.slug])).content.decode()
    assert "Alice Org" not in page.split("timetable", 1)[-1]


# --- one set of rules ----------------------------------------------------------------------------


def test_the_services_answer_only_from_the_states_the_rules_name():
    assert sources(RequestStatus.ACCEPTED) == (RequestStatus.PENDING,)
    assert sources(RequestStatus.DECLINED) == (RequestStatus.PENDING,)
    assert set(sources(RequestStatus.CANCELLED)) == {RequestStatus.PENDING, RequestStatus.ACCEPTED}
    assert all(transition_error(a, b, placed=False) is None for a, b in TRANSITIONS)
    assert transition_error("declined", "accepted", placed=False)
    assert transition_error("accepted", "cancelled", placed=True)


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_post(client, request, **changes):
    data = {
        "event": request.event_id,
        "requester": request.requester_id,
        "recipient": request.recipient_id,
        "message": request.message,
        "status": request.status,
        "decline_reason": request.decline_reason,
        "decline_note": request.decline_note,
        "asset": request.asset_id or "",
        "sent_by": request.sent_by_id or "",
        "answered_by": request.answered_by_id or "",
    }
    data.update(changes)
    return client.post(reverse("admin:events_meetingrequest_change", args=[request.pk]), data)


def _inline_prefixes(client, request):
    page = client.get(reverse("admin:events_meetingrequest_change", args=[request.pk]))
    return {
        name.split("-TOTAL_FORMS")[0]
        for name in page.content.decode().split('name="')
        for name in [name.split('"', 1)[0]]
        if name.endswith("-TOTAL_FORMS")
    }


def admin_change(client, request, **changes):
    prefixes = _inline_prefixes(client, request)
    data = {}
    for prefix in prefixes:
        initial = {"meeting": Meeting.objects.filter(request=request).count()}.get(prefix, 0)
        data[f"{prefix}-TOTAL_FORMS"] = str(initial)
        data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    if Meeting.objects.filter(request=request).exists():
        meeting = Meeting.objects.get(request=request)
        prefix = next(p for p in prefixes if p.startswith("meeting"))
        data.update(
            {
                f"{prefix}-0-id": meeting.pk,
                f"{prefix}-0-request": request.pk,
                f"{prefix}-0-slot": meeting.slot_id,
                f"{prefix}-0-table": meeting.table_id,
            }
        )
    return admin_post(client, request, **{**data, **changes})


@pytest.mark.django_db
def test_admin_refuses_to_reopen_a_declined_request(admin_client, event, alice, bob):
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.DECLINED,
        decline_reason="too_early",
    )
    response = admin_change(admin_client, request, status="accepted", decline_reason="")
    assert response.status_code == 200
    assert "The request is already declined; it cannot become accepted." in (
        response.content.decode()
    )
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.DECLINED


@pytest.mark.django_db
def test_admin_refuses_to_cancel_a_placed_request_with_a_message(admin_client, placed):
    response = admin_change(admin_client, placed, status="cancelled")
    assert response.status_code == 200
    assert "This request is placed on the schedule" in response.content.decode()
    assert MeetingRequest.objects.get(pk=placed.pk).status == RequestStatus.ACCEPTED
    assert Meeting.objects.filter(request=placed).exists()


@pytest.mark.django_db
def test_admin_asks_for_a_reason_when_declining(admin_client, event, alice, bob):
    request = MeetingRequestFactory(
        event=event, requester=alice.participation, recipient=bob.participation
    )
    response = admin_change(admin_client, request, status="declined", decline_reason="")
    assert response.status_code == 200
    assert "A declined request needs a reason" in response.content.decode()
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


@pytest.mark.django_db
def test_admin_takes_a_change_the_rules_allow(admin_client, event, alice, bob):
    request = MeetingRequestFactory(
        event=event, requester=alice.participation, recipient=bob.participation
    )
    response = admin_change(admin_client, request, status="accepted")
    assert response.status_code == 302
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.ACCEPTED
