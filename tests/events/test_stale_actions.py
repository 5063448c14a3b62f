"""Pages offer only the changes the services will take, and say why the others are closed.

Once the organizer schedules, participants can no longer answer, cancel or change their
availability (kbio.events.services refuses); the pages must not keep offering these."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kbio.events import services
from kbio.events.models import EventStatus, MeetingRequest, TimeSlot
from tests.events.factories import delegate
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"
CLOSED_TO_ANSWERS = [EventStatus.SCHEDULED, EventStatus.PUBLISHED]
EXPLANATION = {
    EventStatus.SCHEDULED: "The organizer is making the schedule, so answers and cancellations",
    EventStatus.PUBLISHED: "The schedule is published, so answers and cancellations",
}


def get(party, name, *args):
    response = party.client.get(reverse(name, args=[EVENT, *args]))
    assert response.status_code == 200
    return response.content.decode()


def set_status(event, status):
    event.status = status
    event.save()


@pytest.mark.parametrize("status", EventStatus.values)
def test_answerable_is_the_rule_the_services_apply(alice, bob, ab_request, event, status):
    set_status(event, status)
    request = MeetingRequest.objects.get(pk=ab_request.pk)
    offered = request.answerable
    try:
        services.meeting_request_accept(meeting_request=request, by=bob.user)
    except ValidationError:
        taken = False
    else:
        taken = True
    assert offered == taken


@pytest.mark.parametrize("status", EventStatus.values)
def test_cancellable_is_the_rule_the_services_apply(alice, ab_request, event, status):
    set_status(event, status)
    request = MeetingRequest.objects.get(pk=ab_request.pk)
    offered = request.cancellable
    try:
        services.meeting_request_cancel(meeting_request=request)
    except ValidationError:
        taken = False
    else:
        taken = True
    assert offered == taken


def test_a_published_meeting_is_not_offered_for_cancelling(alice, ab_meeting):
    request = MeetingRequest.objects.for_lists().get(pk=ab_meeting.request_id)
    assert not request.cancellable
    html = get(alice, "events:outbox")
    assert reverse("events:cancel", args=[EVENT, request.pk]) not in html
    assert "Changes go through the organizer" in html


@pytest.mark.parametrize("status", CLOSED_TO_ANSWERS)
def test_inbox_offers_no_answers_once_the_organizer_schedules(bob, ab_request, event, status):
    set_status(event, status)
    html = get(bob, "events:inbox")
    assert "We would like to present KB-101." in html
    assert reverse("events:accept", args=[EVENT, ab_request.pk]) not in html
    assert reverse("events:decline", args=[EVENT, ab_request.pk]) not in html
    assert EXPLANATION[status] in html
    assert "ask the organizer" in html
    assert "waiting for your answer" not in html
    assert "1 request left unanswered" in html


def test_inbox_offers_answers_while_the_event_takes_them(bob, ab_request, event):
    set_status(event, EventStatus.CLOSED)
    html = get(bob, "events:inbox")
    assert reverse("events:accept", args=[EVENT, ab_request.pk]) in html
    assert "answers and cancellations are closed" not in html


@pytest.mark.parametrize("status", CLOSED_TO_ANSWERS)
def test_request_page_explains_instead_of_offering_answers(bob, ab_request, event, status):
    set_status(event, status)
    html = get(bob, "events:request", ab_request.pk)
    assert reverse("events:accept", args=[EVENT, ab_request.pk]) not in html
    assert EXPLANATION[status] in html


@pytest.mark.parametrize("status", CLOSED_TO_ANSWERS)
def test_requester_sees_why_cancelling_is_closed(alice, ab_request, event, status):
    set_status(event, status)
    for html in (get(alice, "events:request", ab_request.pk), get(alice, "events:outbox")):
        assert reverse("events:cancel", args=[EVENT, ab_request.pk]) not in html
        assert EXPLANATION[status] in html


def test_decline_page_shows_no_form_once_answers_are_closed(bob, ab_request, event):
    set_status(event, EventStatus.PUBLISHED)
    html = get(bob, "events:decline", ab_request.pk)
    assert "Decline request</button>" not in html
    assert EXPLANATION[EventStatus.PUBLISHED] in html


def test_inbox_count_badge_goes_once_answers_are_closed(bob, ab_request, event):
    assert '<span class="count"' in get(bob, "events:agenda")
    set_status(event, EventStatus.PUBLISHED)
    assert '<span class="count"' not in get(bob, "events:agenda")


# --- availability ---


@pytest.mark.parametrize("status", CLOSED_TO_ANSWERS)
def test_locked_availability_is_shown_read_only_with_the_reason(alice, event, status):
    first, second = TimeSlot.objects.of_event(event)[:2]
    alice.participation.blocked_slots.set([first])
    set_status(event, status)
    html = get(alice, "events:availability")
    assert "your availability is locked" in html
    assert "Save availability" not in html
    assert html.count(" disabled") >= 3  # every slot's checkbox
    response = alice.client.post(
        reverse("events:availability", args=[EVENT]), {"blocked_slots": [second.pk]}
    )
    assert response.status_code == 200
    assert list(alice.participation.blocked_slots.all()) == [first]


def test_open_availability_stays_editable(alice, event):
    html = get(alice, "events:availability")
    assert "Save availability" in html
    assert "availability is locked" not in html
    assert " disabled" not in html


# --- the event page: one state of requests and registration ---


@pytest.fixture
def newcomer(event):
    from django.test import Client

    org = OrganizationFactory(slug="newcomer", name="Newcomer Bio")
    user, _contact = delegate(org, username="newcomer")
    client = Client()
    client.force_login(user)
    return client


def event_page(client):
    response = client.get(reverse("events:detail", args=[EVENT]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", [EventStatus.CLOSED, *CLOSED_TO_ANSWERS])
def test_a_closed_event_says_registration_is_closed(newcomer, event, status):
    set_status(event, status)
    html = event_page(newcomer)
    assert "Registration is closed: Newcomer Bio is not registered for this event." in html
    assert "Register Newcomer Bio" not in html
    assert reverse("events:register", args=[EVENT]) not in html


def test_an_open_event_offers_registration(newcomer, event):
    html = event_page(newcomer)
    assert "Register Newcomer Bio" in html
    assert "Registration is closed" not in html


def test_a_registered_participant_of_a_closed_event_can_still_answer(alice, event):
    set_status(event, EventStatus.CLOSED)
    html = event_page(alice.client)
    assert "Alice Org is registered." in html
    assert "Requests already sent can still be answered" in html
    assert "Registration is closed" not in html


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (EventStatus.SCHEDULED, "the organizer is making the schedule"),
        (EventStatus.PUBLISHED, "the schedule is published"),
    ],
)
def test_a_scheduled_event_says_why_requests_are_closed(alice, event, status, says):
    set_status(event, status)
    assert says in event_page(alice.client)


def test_an_ended_window_does_not_show_open_for_requests(alice, event):
    event.requests_open_until = timezone.now() - timedelta(minutes=1)
    event.save()
    html = event_page(alice.client)
    assert "not taking meeting requests now" in html
    assert "Open for requests" not in html
    assert "Requests closed" in html


def test_a_window_not_yet_open_says_when_it_opens(alice, event):
    event.requests_open_from = timezone.now() + timedelta(days=2)
    event.save()
    html = event_page(alice.client)
    assert "Requests open on" in html
    assert "Open for requests" not in html
