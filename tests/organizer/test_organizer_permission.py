"""Organizers are a role: the run-events permission (the "Organizers" group or a superuser), not
the staff flag. A staff login without it gets the participants' 404 on every organizer page and
cannot run the admin actions that change an event; nobody edits an event's status by hand."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from kbio.events.models import Event, EventStatus, TimeSlot
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import OrganizerFactory, UserFactory
from tests.organizer.test_access import EVENT, PAGES, POSTS

pytestmark = pytest.mark.django_db

ROLE_PAGES = [
    *PAGES,
    ("accounts:applications", [EVENT]),
    ("accounts:event_members", [EVENT]),
    ("organizer:organization_history", ["alice-bio"]),
]
ROLE_POSTS = [*POSTS, ("accounts:application_decide", [EVENT, 1, "approve"])]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plain_staff(db):
    """A staff login that may use the admin's event pages but is not an organizer."""
    user = UserFactory(username="helper", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events",
            codename__in=["view_event", "change_event", "view_session", "change_session"],
        )
    )
    return _client(user)


def _snapshot(event: Event) -> tuple:
    event.refresh_from_db()
    return (event.status, event.requests_open_from, event.requests_open_until, event.updated)


@pytest.mark.parametrize(("name", "args"), ROLE_PAGES)
def test_staff_without_the_permission_get_404(plain_staff, event, alice, name, args):
    if name == "organizer:organization_history":
        args = [alice.organization.slug]
    assert plain_staff.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), ROLE_POSTS)
def test_staff_without_the_permission_change_nothing(plain_staff, event, name, args):
    before = _snapshot(event)
    assert plain_staff.post(reverse(name, args=args)).status_code == 404
    assert _snapshot(event) == before


def test_the_organizers_group_runs_the_request_window(event):
    event.status = EventStatus.DRAFT
    event.save()
    organizer = _client(OrganizerFactory())
    organizer.post(reverse("organizer:window", args=[event.slug, "open"]))
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN


def test_the_migration_gives_the_organizers_group_what_it_needs(event):
    group = Group.objects.get(name="Organizers")
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {
        ("events", "run_events"),
        ("events", "change_event"),
        ("directory", "change_organization"),
        ("outcomes", "add_outcome"),
    } <= held
    user = UserFactory(username="new-organizer", is_staff=True)
    user.groups.add(group)
    assert _client(user).get(reverse("organizer:dashboard", args=[event.slug])).status_code == 200


def test_a_superuser_needs_no_group(event):
    superuser = _client(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert superuser.get(reverse("organizer:dashboard", args=[event.slug])).status_code == 200


def test_nav_shows_the_organizer_links_only_to_organizers(plain_staff):
    assert reverse("organizer:index") not in plain_staff.get("/").text
    assert reverse("organizer:index") in _client(OrganizerFactory()).get("/").text


# --- the admin ----------------------------------------------------------------------------------


def test_admin_shows_the_status_but_does_not_take_it(event):
    event.status = EventStatus.SCHEDULED
    event.save()
    organizer = _client(OrganizerFactory(is_superuser=True))
    url = reverse("admin:events_event_change", args=[event.pk])
    page = organizer.get(url).text
    assert 'name="status"' not in page
    form = {
        "name": event.name,
        "slug": event.slug,
        "status": EventStatus.OPEN,
        "time_zone": event.time_zone,
        "venue": event.venue,
        "meeting_minutes": event.meeting_minutes,
        "changeover_minutes": event.changeover_minutes,
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "tables-TOTAL_FORMS": 0,
        "tables-INITIAL_FORMS": 0,
    }
    assert organizer.post(url, form).status_code == 302  # saved
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


@pytest.mark.parametrize("action", ["open_requests", "close_requests", "publish_schedule"])
def test_admin_event_actions_refuse_staff_without_the_permission(plain_staff, action):
    event = EventFactory(
        status=EventStatus.DRAFT, requests_open_from=None, requests_open_until=None
    )
    changelist = reverse("admin:events_event_changelist")
    assert action not in plain_staff.get(changelist).text
    plain_staff.post(changelist, {"action": action, "_selected_action": [event.pk]})
    assert Event.objects.get(pk=event.pk).status == EventStatus.DRAFT


def test_admin_publish_action_publishes_for_organizers():
    event = EventFactory(status=EventStatus.SCHEDULED)
    organizer = _client(OrganizerFactory(is_superuser=True))
    changelist = reverse("admin:events_event_changelist")
    organizer.post(changelist, {"action": "publish_schedule", "_selected_action": [event.pk]})
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_admin_fill_slots_refuses_staff_without_the_permission(plain_staff):
    session = SessionFactory(event=EventFactory(meeting_minutes=20, changeover_minutes=10))
    changelist = reverse("admin:events_session_changelist")
    plain_staff.post(changelist, {"action": "fill_slots", "_selected_action": [session.pk]})
    assert not TimeSlot.objects.filter(session=session).exists()
