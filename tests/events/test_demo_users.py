"""create_demo_users: local logins and an open practice round; never with DEBUG off."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest  # django-axes asks every login for its request
from django.test import Client
from django.urls import reverse

from kbio.events.models import Event, MeetingRequest
from kbio.events.services import meeting_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures_loaded(fixture_organizations):
    call_command("loaddata", "kbio2025", verbosity=0)


def run() -> str:
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


def test_refused_when_debug_is_off(settings, fixtures_loaded):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        run()
    assert not get_user_model().objects.exists()
    assert not Event.objects.filter(slug="kbio-demo").exists()


def test_demo_delegates_log_in_with_the_printed_passwords(settings, fixtures_loaded):
    settings.DEBUG = True
    output = run()
    for username, password, organization in [
        ("yipscell-bd", "kbio-yipscell-demo", "yipscell"),
        ("astellas-scouting", "kbio-astellas-demo", "astellas"),
    ]:
        assert f"username {username!r}, password {password!r}" in output
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=password)
        user = get_user_model().objects.get(username=username)
        assert user.contact.organization.slug == organization
        assert not user.is_staff
        assert client.get(reverse("events:inbox", args=["kbio-demo"])).status_code == 200


def test_the_practice_round_is_open_and_marked_as_demo(settings, fixtures_loaded):
    settings.DEBUG = True
    run()
    event = Event.objects.get(slug="kbio-demo")
    assert "demo" in event.name.lower()
    assert event.accepts_requests()
    assert event.sessions.count() == Event.objects.get(slug="kbio-2025").sessions.count()
    assert all(r.message.startswith("[Demo data]") for r in MeetingRequest.objects.all())
    assert not MeetingRequest.objects.filter(event__slug="kbio-2025").exists()
    yipscell = event.participations.get(organization__slug="yipscell")
    astellas = event.participations.get(organization__slug="astellas")
    assert astellas.fixed_table.number == 2
    sent = meeting_request_create(
        requester=yipscell, recipient=astellas, message="Demo flow", sent_by=None
    )
    assert sent.status == "pending"


def test_running_again_rebuilds_instead_of_duplicating(settings, fixtures_loaded):
    settings.DEBUG = True
    run()
    run()
    assert Event.objects.filter(slug="kbio-demo").count() == 1
    assert get_user_model().objects.filter(username="yipscell-bd").count() == 1
    assert Client().login(
        request=HttpRequest(), username="yipscell-bd", password="kbio-yipscell-demo"
    )


def test_without_the_fixtures_it_says_what_to_load(settings, db):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Load the fixtures first"):
        run()


def test_the_demo_organizer_runs_events(settings, fixtures_loaded):
    settings.DEBUG = True
    run()
    client = Client()
    assert client.login(request=HttpRequest(), username="admin", password="kbio-admin-demo")
    assert client.get(reverse("organizer:dashboard", args=["kbio-demo"])).status_code == 200
