"""Every organizer page: anonymous → login, participants → 404, staff → the page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"
PAGES = [
    ("organizer:index", []),
    ("organizer:data", []),
    ("organizer:organizations_export", []),
    ("organizer:organizations_import", []),
    ("organizer:criteria_export", []),
    ("organizer:criteria_import", []),
    ("organizer:dashboard", [EVENT]),
    ("organizer:schedule", [EVENT]),
    ("organizer:requests_export", [EVENT]),
    ("organizer:schedule_export", [EVENT]),
    ("organizer:requests_import", [EVENT]),
    ("organizer:outcomes", [EVENT]),
    ("organizer:outcomes_export", [EVENT]),
]
POSTS = [
    ("organizer:window", [EVENT, "open"]),
    ("organizer:window", [EVENT, "close"]),
    ("organizer:organizations_import", []),
    ("organizer:criteria_import", []),
    ("organizer:requests_import", [EVENT]),
    ("organizer:schedule_run", [EVENT]),
    ("organizer:schedule_publish", [EVENT]),
]


@pytest.mark.parametrize(("name", "args"), PAGES + POSTS)
def test_anonymous_is_sent_to_login(anonymous, event, name, args):
    response = (
        anonymous.post(reverse(name, args=args))
        if (name, args) in POSTS
        else (anonymous.get(reverse(name, args=args)))
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_participants_get_404(alice, name, args):
    assert alice.client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), POSTS)
def test_participants_cannot_post(alice, event, name, args):
    status = event.status
    assert alice.client.post(reverse(name, args=args)).status_code == 404
    event.refresh_from_db()
    assert event.status == status


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_staff_see_every_page(staff, event, name, args):
    assert staff.get(reverse(name, args=args)).status_code == 200


def test_unknown_event_is_404(staff):
    assert staff.get(reverse("organizer:dashboard", args=["no-such-event"])).status_code == 404


def test_nav_links_only_for_staff(staff, alice):
    home = reverse("events:list")
    assert reverse("organizer:index") in staff.get(home).content.decode()
    assert reverse("organizer:data") in staff.get(home).content.decode()
    assert reverse("organizer:index") not in alice.client.get(home).content.decode()
