"""Organizers edit events, slots, tables, participations and requests in admin."""

import pytest
from django.test import Client
from django.urls import reverse

from kbio.events.models import Event, EventStatus, Session, TimeSlot
from tests.events.factories import EventFactory, MeetingFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    client = Client()
    client.force_login(UserFactory(username="organizer", is_staff=True, is_superuser=True))
    return client


MODELS = ["event", "session", "timeslot", "participation", "table", "meetingrequest", "meeting"]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_and_change_pages_open(organizer, ab_request, event, model):
    ab_request.status = "accepted"
    ab_request.save()
    MeetingFactory(
        request=ab_request,
        slot=TimeSlot.objects.of_event(event).first(),
        table=event.tables.first(),
    )
    changelist = reverse(f"admin:events_{model}_changelist")
    assert organizer.get(changelist).status_code == 200
    assert organizer.get(changelist, {"q": "Alice"}).status_code == 200
    model_class = {m._meta.model_name: m for m in ab_request._meta.apps.get_models()}[model]
    obj = model_class.objects.first()
    assert organizer.get(reverse(f"admin:events_{model}_change", args=[obj.pk])).status_code == 200


def test_participants_cannot_reach_admin(alice):
    response = alice.client.get(reverse("admin:events_meetingrequest_changelist"))
    assert response.status_code == 302


def test_event_admin_actions_open_and_close_the_window(organizer):
    event = EventFactory(
        status=EventStatus.DRAFT, requests_open_from=None, requests_open_until=None
    )
    url = reverse("admin:events_event_changelist")
    organizer.post(url, {"action": "open_requests", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN and event.accepts_requests()
    response = organizer.post(
        url, {"action": "close_requests", "_selected_action": [event.pk]}, follow=True
    )
    assert "Requests are closed for 1 event." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and not event.accepts_requests()


def test_a_scheduled_event_reports_why_it_cannot_reopen(organizer):
    event = EventFactory(status=EventStatus.SCHEDULED)
    response = organizer.post(
        reverse("admin:events_event_changelist"),
        {"action": "open_requests", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "already scheduled" in response.content.decode()
    assert Event.objects.get(pk=event.pk).status == EventStatus.SCHEDULED


def test_session_admin_action_fills_slots(organizer):
    session = SessionFactory(event=EventFactory(meeting_minutes=20, changeover_minutes=10))
    organizer.post(
        reverse("admin:events_session_changelist"),
        {"action": "fill_slots", "_selected_action": [session.pk]},
    )
    assert TimeSlot.objects.filter(session=session).count() == 3
    assert Session.objects.get(pk=session.pk).slots.first().minutes == 20
