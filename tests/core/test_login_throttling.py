"""Password guessing is slowed down: 30 wrong passwords for one username from one client pause
that login for 15 minutes (django-axes, per username and client address), and the page says so
in the visitor's language. Password-reset e-mails are limited per address and per client."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.utils import timezone

from kbio.core.views import RESET_EMAILS_PER_ADDRESS, RESET_EMAILS_PER_CLIENT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "partnering-pass-1"  # UserFactory's
LIMIT = 30


@pytest.fixture(autouse=True)
def _fast_hashing_and_empty_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def _log_in(client, username, password, *, language="", ip="203.0.113.7"):
    return client.post(
        f"{language}/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _guess(client, username, times, **kwargs):
    for _ in range(times):
        _log_in(client, username, "not-the-password", **kwargs)


def test_29_wrong_passwords_then_the_right_one_logs_in(client):
    UserFactory(username="minji")
    _guess(client, "minji", LIMIT - 1)
    assert _log_in(client, "minji", PASSWORD).status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("", "After 30 wrong passwords"),
        ("/ko", "비밀번호를 30회"),
        ("/ja", "パスワードを30回"),
    ],
)
def test_30_wrong_passwords_pause_the_login_and_say_so(client, language, says):
    UserFactory(username="minji")
    _guess(client, "minji", LIMIT, language=language)
    response = _log_in(client, "minji", PASSWORD, language=language)
    assert response.status_code == 429
    assert says in response.text
    assert "15" in response.text
    assert not _logged_in(client)


def test_the_pause_is_for_that_username_from_that_client(client):
    UserFactory(username="minji")
    UserFactory(username="haruto")
    _guess(client, "minji", LIMIT)
    # A colleague behind the same venue Wi-Fi address logs in as usual ...
    assert _log_in(client, "haruto", PASSWORD).status_code == 302
    client.logout()
    # ... and so does minji from another connection.
    assert _log_in(client, "minji", PASSWORD, ip="198.51.100.4").status_code == 302


def test_the_pause_ends_after_15_minutes(client):
    UserFactory(username="minji")
    _guess(client, "minji", LIMIT)
    assert _log_in(client, "minji", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _log_in(client, "minji", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_admin_login_is_paused_too(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        client.post(
            "/admin/login/", {"username": "boss", "password": "nope"}, REMOTE_ADDR="203.0.113.7"
        )
    response = client.post(
        "/admin/login/", {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert not _logged_in(client)


# --- password-reset e-mails ---------------------------------------------------------------------


def _reset(client, email, ip="203.0.113.7"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_sends_at_most_three_emails_an_hour_per_address(client, mailoutbox):
    UserFactory(username="minji", email="minji@example.org")
    UserFactory(username="haruto", email="haruto@example.org")
    for _ in range(RESET_EMAILS_PER_ADDRESS + 5):
        response = _reset(client, "minji@example.org")
        # Always the same answer: nobody learns that the address was throttled.
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == RESET_EMAILS_PER_ADDRESS == 3
    # Another address, and the same address in other capitals, count apart / together.
    _reset(client, "MINJI@example.org")
    assert len(mailoutbox) == 3
    _reset(client, "haruto@example.org")
    assert [m.to for m in mailoutbox[3:]] == [["haruto@example.org"]]


def test_password_reset_is_limited_per_client(client, mailoutbox):
    UserFactory(username="minji", email="minji@example.org")
    for n in range(RESET_EMAILS_PER_CLIENT):
        _reset(client, f"nobody{n}@example.org")
    _reset(client, "minji@example.org")
    assert mailoutbox == []
    _reset(client, "minji@example.org", ip="198.51.100.4")
    assert len(mailoutbox) == 1
