"""A first visit to an unprefixed page opens it in the visitor's language; a chosen language
(the switcher's cookie) wins over the browser's."""

import pytest
from django.conf import settings

from tests.factories import OrganizerFactory, UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.django_db
class TestFirstVisit:
    @pytest.mark.parametrize(
        ("accept", "target"),
        [
            ("ko", "/ko/"),
            ("ko-KR,ko;q=0.9,en-US;q=0.8", "/ko/"),
            ("ja", "/ja/"),
            ("ja-JP,ja;q=0.9", "/ja/"),
        ],
    )
    def test_a_korean_or_japanese_browser_is_sent_to_its_language(self, client, accept, target):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 302
        assert response.url == target
        assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
        assert f'<html lang="{target[1:3]}">' in client.get(response.url).text

    @pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "fr", "", None])
    def test_english_or_unsupported_browsers_stay(self, client, accept):
        headers = {} if accept is None else {"HTTP_ACCEPT_LANGUAGE": accept}
        response = client.get("/", **headers)
        assert response.status_code == 200
        assert '<html lang="en">' in response.text
        assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]

    def test_the_page_and_its_query_string_are_kept(self, client):
        response = client.get("/organizations/?kind=venture&q=%EC%85%80", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.url == "/ko/organizations/?kind=venture&q=%EC%85%80"

    def test_head_is_redirected_too(self, client):
        response = client.head("/organizations/", HTTP_ACCEPT_LANGUAGE="ja")
        assert response.url == "/ja/organizations/"

    def test_a_prefixed_page_is_left_alone(self, client):
        response = client.get("/ja/organizations/", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        assert '<html lang="ja">' in response.text


@pytest.mark.django_db
class TestChosenLanguage:
    def test_english_chosen_by_a_korean_browser_stays_english(self, client):
        response = client.post(
            "/i18n/setlang/",
            {"language": "en", "next": "/organizations/"},
            HTTP_ACCEPT_LANGUAGE="ko",
        )
        assert response.url == "/organizations/"
        assert response.cookies[COOKIE].value == "en"
        page = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="ko")
        assert page.status_code == 200
        assert '<html lang="en">' in page.text

    def test_a_korean_cookie_at_the_root_goes_to_korean(self, client):
        client.cookies[COOKIE] = "ko"
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.url == "/ko/"

    def test_a_japanese_cookie_and_no_browser_preference(self, client):
        client.cookies[COOKIE] = "ja"
        assert client.get("/organizations/").url == "/ja/organizations/"

    def test_an_unknown_cookie_falls_back_to_the_browser(self, client):
        client.cookies[COOKIE] = "xx"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="ja").url == "/ja/"


@pytest.mark.django_db
class TestLeftAlone:
    def test_posts_are_never_redirected(self, client):
        response = client.post(
            "/accounts/login/",
            {"username": "nobody", "password": "x"},
            HTTP_ACCEPT_LANGUAGE="ko",
        )
        assert response.status_code == 200
        assert '<html lang="en">' in response.text

    def test_admin_posts_are_never_redirected(self, client):
        user = UserFactory(username="organizer", is_staff=True, is_superuser=True)
        client.force_login(user)
        response = client.post("/admin/logout/", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.url == "/"  # the admin's own answer: logged out, to the start page

    def test_the_language_switcher_itself(self, client):
        response = client.get("/i18n/setlang/", HTTP_ACCEPT_LANGUAGE="ko")
        assert not response.get("Location", "").startswith("/ko/")

    def test_downloads_keep_their_address(self, client):
        client.force_login(OrganizerFactory())
        response = client.get("/organizer/organizations.csv", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        # A calendar client asking for an agenda is answered where it asked (here: not found).
        response = client.get("/events/nowhere/agenda.ics", HTTP_ACCEPT_LANGUAGE="ja")
        assert not response.get("Location", "").startswith("/ja/")

    def test_static_files_and_the_favicon_are_not_prefixed(self, client):
        response = client.get("/favicon.ico", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 302
        assert response.url.startswith("/static/")

    def test_an_unknown_page_is_a_plain_404(self, client):
        assert client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ko").status_code == 404
