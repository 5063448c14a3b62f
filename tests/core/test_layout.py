"""The base layout every page shares: header, language switcher, login state, accessibility."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import OrganizerFactory, UserFactory


def switcher(response) -> dict[str, str]:
    """{language code: the page address the switcher's link opens} for the other languages."""
    links = re.findall(
        r'<a class="language-switcher__choice" href="/i18n/language/(\w+)/\?next=([^"]*)"',
        response.text,
    )
    return {code: unquote(unescape(url)) for code, url in links}


@pytest.mark.django_db
class TestHeader:
    def test_lang_attribute_skip_link_and_labelled_navigation(self, client):
        response = client.get("/ja/")
        assert '<html lang="ja">' in response.text
        assert '<a class="skip-link" href="#main">本文へスキップ</a>' in response.text
        assert '<main id="main"' in response.text
        assert '<nav class="site-nav" aria-label="メインメニュー">' in response.text

    def test_the_switcher_names_each_language_in_itself(self, client):
        response = client.get("/")
        assert '<span class="language-switcher__current" lang="en" aria-current="true">' in (
            response.text
        )
        assert re.search(
            r'<a class="language-switcher__choice" [^>]*lang="ko"[^>]*>한국어</a>', response.text
        )
        assert re.search(
            r'<a class="language-switcher__choice" [^>]*lang="ja"[^>]*>日本語</a>', response.text
        )

    def test_the_switcher_keeps_the_page_and_its_filters(self, client):
        response = client.get("/organizations/?kind=venture&focus=ipsc-cell-therapy")
        assert switcher(response) == {
            "ko": "/ko/organizations/?kind=venture&focus=ipsc-cell-therapy",
            "ja": "/ja/organizations/?kind=venture&focus=ipsc-cell-therapy",
        }

    def test_switching_sets_the_language_and_returns_to_the_same_page(self, client):
        page = client.get("/ko/organizations/?kind=pharma")
        # A visitor who came by a shared /ko/ link: no language cookie, an English browser.
        link = re.search(r'href="(/i18n/language/ja/[^"]*)"', page.text)[1]
        response = client.get(unescape(link), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        assert response.url == "/ja/organizations/?kind=pharma"
        assert response.cookies["django_language"].value == "ja"
        assert '<html lang="ja">' in client.get(response.url).text

    def test_visitors_see_a_login_link_back_to_the_page(self, client):
        response = client.get("/organizations/?kind=venture")
        assert '<a href="/accounts/login/?next=/organizations/%3Fkind%3Dventure">Log in</a>' in (
            response.text
        )

    def test_logged_in_users_see_who_they_are_and_can_log_out(self, client):
        client.force_login(UserFactory(username="minji"))
        response = client.get("/ko/")
        assert "minji 님으로 로그인함" in response.text
        assert re.search(
            r'<form method="post" action="/ko/accounts/logout/">.*?로그아웃</button>',
            response.text,
            re.S,
        )
        assert "/admin/" not in response.text

    def test_staff_get_a_link_to_the_admin(self, client):
        client.force_login(OrganizerFactory())
        assert '<a href="/admin/">Admin</a>' in client.get("/").text

    def test_the_current_event_has_its_place_in_the_header(self, rf: RequestFactory):
        request = rf.get("/")
        request.user = AnonymousUser()
        html = render_to_string("base.html", {"current_event": _Event()}, request=request)
        assert re.search(
            r'<a class="current-event" href="/events/shonan-2025/">\s*'
            r'<span class="visually-hidden">Current event:</span>\s*'
            r"K-Bio Venture Partnering Conference",
            html,
        )
        without = render_to_string("base.html", {}, request=request)
        assert "current-event" not in without


class _Event:
    """Stands in for the event model, which the header only needs as text and a link."""

    def __str__(self) -> str:
        return "K-Bio Venture Partnering Conference"

    def get_absolute_url(self) -> str:
        return "/events/shonan-2025/"
