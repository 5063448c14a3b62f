"""Logging in, and getting a password back: the site's own pages, and never a loop."""

import re
from html import unescape

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import UserFactory

PASSWORD = "partnering-pass-1"  # UserFactory's


def header_login_link(response) -> str:
    link = re.search(r'<a href="([^"]*)">Log in</a>', response.text)
    assert link, "the header has a Log in link"
    return unescape(link.group(1))


@pytest.mark.django_db
class TestNoLoginLoop:
    def test_the_login_page_header_links_to_the_login_without_a_next(self, client):
        assert header_login_link(client.get("/accounts/login/")) == "/accounts/login/"
        assert header_login_link(client.get("/accounts/login/?next=/events/")) == (
            "/accounts/login/"
        )

    @pytest.mark.parametrize(
        "page",
        ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"],
    )
    def test_password_pages_link_to_the_login_without_a_next(self, client, page):
        assert header_login_link(client.get(page)) == "/accounts/login/"

    def test_other_pages_still_come_back_after_logging_in(self, client):
        assert header_login_link(client.get("/organizations/?kind=venture")) == (
            "/accounts/login/?next=/organizations/%3Fkind%3Dventure"
        )

    @pytest.mark.parametrize(
        "next_url",
        [
            "/accounts/login/",
            "/accounts/login/?next=/accounts/login/",
            "/ko/accounts/login/",
            "/accounts/logout/",
            "/accounts/password_reset/",
            "/ja/accounts/password_change/",
            "http://testserver/accounts/login/",
        ],
    )
    def test_logging_in_from_the_login_page_lands_on_the_start_page(self, client, next_url):
        UserFactory(username="minji")
        page = client.get("/accounts/login/", {"next": next_url}).text
        form = re.search(r'<form method="post" action="/accounts/login/">.*?</form>', page, re.S)
        assert 'name="next"' not in form.group(0), "the form does not carry the loop on"
        response = client.post(
            "/accounts/login/", {"username": "minji", "password": PASSWORD, "next": next_url}
        )
        assert response.status_code == 302
        assert response.url == "/"

    def test_logging_in_in_korean_lands_on_the_korean_start_page(self, client):
        UserFactory(username="minji")
        response = client.post(
            "/ko/accounts/login/",
            {"username": "minji", "password": PASSWORD, "next": "/ko/accounts/login/"},
        )
        assert response.url == "/ko/"

    def test_a_useful_next_is_followed(self, client):
        UserFactory(username="minji")
        response = client.post(
            "/accounts/login/?next=/events/",
            {"username": "minji", "password": PASSWORD, "next": "/events/"},
        )
        assert response.url == "/events/"

    def test_another_site_is_not_a_next(self, client):
        UserFactory(username="minji")
        response = client.post(
            "/accounts/login/",
            {"username": "minji", "password": PASSWORD, "next": "https://evil.example/"},
        )
        assert response.url == "/"


@pytest.mark.django_db
class TestLoginPage:
    def test_the_login_page_uses_the_site_layout_and_its_form_classes(self, client):
        response = client.get("/accounts/login/")
        assert 'class="site-header"' in response.text
        assert '<div class="field">' in response.text
        assert '<button type="submit" class="button">Log in</button>' in response.text
        assert '<a href="/accounts/password_reset/">Forgot your password?</a>' in response.text

    def test_a_wrong_password_says_so_and_keeps_the_username(self, client):
        UserFactory(username="minji")
        response = client.post("/accounts/login/", {"username": "minji", "password": "wrong"})
        assert response.status_code == 200
        assert re.search(
            r'<div class="notice notice--error" role="alert">\s*<p>Please enter a correct '
            r"username and password\.",
            response.text,
        )
        assert 'value="minji"' in response.text

    def test_an_empty_form_marks_each_field(self, client):
        response = client.post("/accounts/login/", {"username": "", "password": ""})
        assert response.text.count('class="field field--error"') == 2
        assert "This field is required." in response.text
        assert "Please correct the fields marked below." in response.text

    def test_hostile_input_is_refused_without_an_error_page(self, client):
        response = client.post(
            "/accounts/login/", {"username": "a\x00b" * 100, "password": "x\x00", "next": "\x00"}
        )
        assert response.status_code == 200
        assert 'class="notice notice--error"' in response.text

    def test_the_login_page_speaks_korean(self, client):
        response = client.get("/ko/accounts/login/")
        assert '<html lang="ko">' in response.text
        assert 'href="/ko/accounts/password_reset/"' in response.text


@pytest.mark.django_db
class TestPasswordReset:
    def test_request_the_link_follow_it_set_a_password_and_log_in_with_it(self, client):
        UserFactory(username="minji", email="minji@example.org")
        response = client.post("/accounts/password_reset/", {"email": "minji@example.org"})
        assert response.status_code == 302
        assert response.url == "/accounts/password_reset/done/"
        assert "Check your email" in client.get(response.url).text

        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["minji@example.org"]
        assert email.subject == "Choose a new password for K-Bio Partnering"
        assert "Your username: minji" in email.body
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)

        # Django swaps the token in the address for one kept in the session.
        form = client.get(link, follow=True)
        assert form.status_code == 200
        assert "Choose a new password" in form.text
        assert 'type="password"' in form.text
        set_password = form.redirect_chain[-1][0]
        response = client.post(
            set_password,
            {"new_password1": "new-shonan-pass-2026", "new_password2": "new-shonan-pass-2026"},
        )
        assert response.status_code == 302
        assert response.url == "/accounts/reset/done/"
        assert "Your new password is saved." in client.get(response.url).text

        # The link is used up.
        assert "This link is no longer valid" in client.get(link, follow=True).text

        assert (
            client.post("/accounts/login/", {"username": "minji", "password": PASSWORD}).status_code
            == 200
        ), "the old password no longer works"
        response = client.post(
            "/accounts/login/", {"username": "minji", "password": "new-shonan-pass-2026"}
        )
        assert response.status_code == 302
        assert response.url == "/"

    def test_mismatched_passwords_are_explained(self, client):
        UserFactory(username="minji", email="minji@example.org")
        client.post("/accounts/password_reset/", {"email": "minji@example.org"})
        link = re.search(r"http://testserver(/\S+/)", mail.outbox[0].body).group(1)
        form = client.get(link, follow=True)
        response = client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "new-shonan-pass-2026", "new_password2": "other-pass-2026"},
        )
        assert response.status_code == 200
        assert "The two password fields didn’t match." in response.text
        assert 'class="field field--error"' in response.text

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self, client):
        response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
        assert response.url == "/accounts/password_reset/done/"
        assert mail.outbox == []

    def test_the_korean_email_links_to_the_korean_page(self, client):
        UserFactory(username="minji", email="minji@example.org")
        client.post("/ko/accounts/password_reset/", {"email": "minji@example.org"})
        assert "http://testserver/ko/accounts/reset/" in mail.outbox[0].body

    def test_the_subject_is_plain_text_not_html(self):
        with translation.override("en"):
            subject = render_to_string(
                "registration/password_reset_subject.txt", {"site_name": "R&D <Bio> 'Partnering'"}
            )
        assert subject.strip() == "Choose a new password for R&D <Bio> 'Partnering'"


@pytest.mark.django_db
def test_a_signed_in_user_changes_the_password(client):
    user = UserFactory(username="minji")
    client.force_login(user)
    page = client.get("/accounts/password_change/")
    assert '<div class="field">' in page.text
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "new-shonan-pass-2026",
            "new_password2": "new-shonan-pass-2026",
        },
    )
    assert response.url == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password("new-shonan-pass-2026")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_account_is_refused_before_trying_it(client, page):
    """The username reached the authentication backends whatever its length, and django-axes
    wrote it into a 255-character column: a server error on PostgreSQL."""
    from axes.models import AccessAttempt

    response = client.post(page, {"username": "x" * 10_000, "password": PASSWORD})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
