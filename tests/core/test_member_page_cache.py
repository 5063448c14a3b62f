"""A logged-in member gets the home, list, profile and matches pages from the cache, made for
their own session: never another member's page, never another session's CSRF tokens, and a
fresh page as soon as anything in the database changed (whatever wrote it), a message is
pending, or the minute is over."""

# ruff: noqa: F811  (the parties of tests/events/conftest.py, imported as fixtures)

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kbio.core import pagecache
from kbio.events.models import MeetingRequest, RequestStatus
from tests.events.conftest import (  # noqa: F401  (fixtures)
    ab_request,
    alice,
    bob,
    english_urls,
    event,
    fast_password_hashing,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/organizations/",
    "/organizations/?kind=venture",
    "/organizations/alice-org/",
    "/organizations/bob-org/matches/",
    "/ja/organizations/alice-org/",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text))


def stored(client: Client, url: str):
    """Two visits: the first gets the CSRF cookie, the second (with it) is stored."""
    client.get(url)
    return client.get(url)


@pytest.mark.parametrize("page", PAGES)
def test_a_members_page_is_served_from_the_cache(alice, bob, page, django_assert_num_queries):
    second = stored(bob.client, page)
    assert second.status_code == 200
    # Only the session and the login are read.
    with django_assert_num_queries(2):
        third = bob.client.get(page)
    assert third.status_code == 200
    assert third.content == second.content
    assert re.search(r'login-state__user">[^<]*\bbob\b', third.text)
    # The headers of the site's middlewares are on it, and a request id of its own.
    assert "script-src 'self'" in third["Content-Security-Policy"]
    assert third["X-Frame-Options"] == "DENY"
    assert third["X-Request-ID"] != second["X-Request-ID"]
    assert "Cookie" in third["Vary"]


def test_two_members_never_get_each_others_page(alice, bob):
    for _ in range(3):
        alices, bobs = alice.client.get("/"), bob.client.get("/")
        assert "Welcome, Alice" in text(alices) and "Bob" not in text(alices).split("Welcome")[1]
        assert "Welcome, Bob" in text(bobs) and "Welcome, Alice" not in text(bobs)
        for page in ("/organizations/", "/organizations/bob-org/matches/"):
            assert "Signed in as alice" in alice.client.get(page).text
            assert "Signed in as bob" in bob.client.get(page).text
    # A visitor gets neither.
    front = Client().get("/organizations/")
    assert "Signed in as" not in front.text


def test_each_session_gets_its_own_csrf_tokens(alice, bob):
    second_browser = Client(enforce_csrf_checks=True)
    second_browser.force_login(bob.user)
    for client in (bob.client, second_browser):
        stored(client, "/organizations/alice-org/")
        page = client.get("/organizations/alice-org/")
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        assert csrf_tokens(page)
        assert {_unmask_cipher_token(token) for token in csrf_tokens(page)} == {secret}
    assert (
        bob.client.cookies[settings.CSRF_COOKIE_NAME].value
        != second_browser.cookies[settings.CSRF_COOKIE_NAME].value
    )
    # A form of the cached page is accepted.
    token = csrf_tokens(page).pop()
    response = second_browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "Signed in as" not in second_browser.get("/organizations/alice-org/").text


def test_a_change_the_member_makes_shows_at_once_with_its_message_once(alice, bob):
    profile = "/organizations/alice-org/"
    assert "On your shortlist" not in stored(bob.client, profile).text
    add = reverse("matching:shortlist_add", args=["bob-org"])
    response = bob.client.post(add, {"partner": "alice-org", "next": profile})
    assert response.status_code == 302
    page = bob.client.get(profile)
    assert "On your shortlist" in page.text
    assert "Alice Org is on your shortlist." in page.text
    # The message was shown: the next page does not repeat it, and keeps the change.
    again = bob.client.get(profile)
    assert "On your shortlist" in again.text
    assert "is on your shortlist." not in again.text
    assert "Alice Org" in bob.client.get("/").text.split("Your shortlist", 1)[1]


def test_a_change_made_without_the_models_signals_shows_at_once(bob, ab_request):
    assert "Answer the request waiting for you" in text(stored(bob.client, "/"))
    assert "Answer the request waiting for you" in text(bob.client.get("/"))
    # A bulk update (no model signal), as an import or a job may write.
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.CANCELLED)
    assert "Answer the request waiting for you" not in text(bob.client.get("/"))
    # And raw SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_meetingrequest SET status = %s WHERE id = %s",
            [RequestStatus.PENDING, ab_request.pk],
        )
    assert "Answer the request waiting for you" in text(bob.client.get("/"))


def test_a_page_lives_no_longer_than_its_minute(bob, monkeypatch, django_assert_num_queries):
    stored(bob.client, "/")
    with django_assert_num_queries(2):
        bob.client.get("/")
    later = timezone.now() + timedelta(seconds=60)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as made:
        bob.client.get("/")
    assert len(made) > 2


def test_a_page_with_a_message_pending_is_made_again(bob):
    stored(bob.client, "/organizations/")
    bob.client.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as made:
        bob.client.get("/organizations/")
    assert len(made) > 2


def test_a_request_without_its_csrf_cookie_is_not_stored(bob):
    first = bob.client.get("/organizations/")
    assert settings.CSRF_COOKIE_NAME in first.cookies
    del bob.client.cookies[settings.CSRF_COOKIE_NAME]
    second = bob.client.get("/organizations/")
    # A new secret, and the page's tokens follow it.
    secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(token) for token in csrf_tokens(second)} == {secret}


def test_sessions_and_login_records_leave_the_members_version():
    before = pagecache.member_version()
    SessionStore().save()
    assert pagecache.member_version() == before
    OrganizationFactory()
    assert pagecache.member_version() != before


def test_the_members_version_changes_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = pagecache.member_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OrganizationFactory()
        during = pagecache.member_version()
        # Many writes in one transaction: one callback.
        OrganizationFactory()
        OrganizationFactory()
    assert callbacks.count(pagecache._new_member_version) == 1
    assert len({before, during, pagecache.member_version()}) == 3


def test_off_when_the_setting_is_zero(bob, settings):
    settings.PAGE_CACHE_SECONDS = 0
    stored(bob.client, "/organizations/")
    with CaptureQueriesContext(connection) as made:
        bob.client.get("/organizations/")
    assert len(made) > 2
