"""Visitors get the home page, the directory and the profiles from the cache: per address and
language, never a logged-in member's page, never a page that sets a cookie, and a new copy as
soon as what it shows changes (admin, a member's edit, fixtures). No page a visitor reads sets a
CSRF cookie unless it holds a form."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from kbio.core import pagecache
from kbio.directory.models import Organization
from kbio.matching.index import current_token
from tests.directory.test_admin import INLINES, no_rows, organization_form
from tests.directory.test_editing import interest_data, member, profile_data
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/organizations/",
    "/organizations/?kind=venture&q=cell",
    "/organizations/yipscell/",
    "/organizations/yipscell/matches/",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("prefix", ["", "/ko", "/ja"])
def test_a_visitors_page_sets_no_csrf_cookie(client, directory, page, prefix):
    response = client.get(prefix + page)
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text


def test_the_login_page_sets_one(client):
    response = client.get(reverse("login"))
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "csrfmiddlewaretoken" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_the_second_visit_is_served_from_the_cache(
    client, directory, page, django_assert_num_queries
):
    # The matching's first use of a database writes its index version (a new data version).
    current_token()
    first = client.get(page)
    with django_assert_num_queries(0):
        second = client.get(page)
    assert second.status_code == 200
    assert second.content == first.content
    # The headers the site's middlewares set are on the cached page too: the policy, and a
    # request id of its own.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Request-ID"] and second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Content-Language"] == "en"


def test_each_language_and_query_string_has_its_own_copy(client, directory):
    english = client.get("/organizations/")
    korean = client.get("/ko/organizations/")
    japanese = client.get("/ja/organizations/")
    assert '<html lang="en">' in english.text
    assert '<html lang="ko">' in korean.text and "기관 목록" in korean.text
    assert '<html lang="ja">' in japanese.text and "企業・機関一覧" in japanese.text
    assert '<html lang="ko">' in client.get("/ko/organizations/").text
    ventures = client.get("/organizations/?kind=venture").text
    assert "Takeda" in english.text and "Takeda" not in ventures
    assert "Takeda" not in client.get("/organizations/?kind=venture").text
    assert "Takeda" in client.get("/organizations/").text


def test_a_logged_in_member_never_gets_the_visitors_copy(client, directory):
    client.get("/")
    client.get("/organizations/yipscell/")
    client.force_login(UserFactory(username="minji"))
    assert "Signed in as minji" in client.get("/organizations/yipscell/").text
    assert "Signed in as minji" in client.get("/organizations/").text
    client.logout()
    # Nor is a member's page stored for visitors.
    visitor = Client()
    assert "Signed in as" not in visitor.get("/organizations/").text
    assert "Signed in as" not in visitor.get("/organizations/yipscell/").text


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(
    client, directory, django_assert_num_queries
):
    client.get("/organizations/")
    client.cookies["messages"] = "anything"
    with django_assert_num_queries(6, exact=False):
        client.get("/organizations/")


def test_an_edit_in_admin_shows_at_once(client, directory):
    assert "YiPSCELL" in client.get("/organizations/").text
    assert "<h1" in client.get("/organizations/yipscell/").text
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {
        **organization_form(directory.yipscell, name="YiPSCELL Therapeutics"),
        **no_rows(*INLINES),
    }
    url = reverse("admin:directory_organization_change", args=[directory.yipscell.pk])
    assert staff.post(url, data).status_code == 302
    assert "YiPSCELL Therapeutics" in client.get("/organizations/").text
    assert "YiPSCELL Therapeutics" in client.get("/organizations/yipscell/").text


def test_a_members_edit_shows_at_once(client, directory):
    editor = member(directory.yipscell, "editor", "yip-editor")
    assert "연골 스페로이드" not in client.get("/ko/organizations/yipscell/").text
    staff = Client()
    staff.force_login(editor)
    data = profile_data(directory.yipscell, description_ko="연골 스페로이드 주사제입니다.")
    edit = reverse("directory:edit_profile", args=["yipscell"])
    assert staff.post(edit, data).status_code == 302
    assert "연골 스페로이드 주사제입니다." in client.get("/ko/organizations/yipscell/").text


def test_fixtures_loading_shows_at_once(client, taxonomy):
    assert ">0 organizations<" in client.get("/organizations/").text
    call_command("loaddata", "organizations", verbosity=0)
    count = Organization.objects.active().count()
    assert f">{count} organizations<" in client.get("/organizations/").text


def test_a_new_organization_shows_on_the_home_page_at_once(client, directory):
    before = client.get("/").text
    OrganizationFactory(name="Brand New Bio", kind=Organization.Kind.VENTURE, country="KR")
    assert client.get("/").text != before


def test_the_data_version_changes_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = pagecache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pagecache.data_changed()
        during = pagecache.data_version()
        # Many writes in one transaction: one callback.
        pagecache.data_changed()
        pagecache.data_changed()
    assert len(callbacks) == 1
    assert len({before, during, pagecache.data_version()}) == 3


class TestWhatIsStored:
    """A page that sets a cookie, or is not a plain 200, is made again for the next visitor."""

    @staticmethod
    def served(view, times: int = 2, **request) -> int:
        calls = []

        @pagecache.anonymous_page_cache
        def counted(request):
            calls.append(1)
            return view(request)

        middleware = pagecache.AnonymousPageCacheMiddleware(
            lambda request: middleware.process_view(request, counted, (), {}) or counted(request)
        )
        for _ in range(times):
            middleware(RequestFactory().get("/somewhere/", **request))
        return len(calls)

    def test_a_plain_page_is_made_once(self):
        assert self.served(lambda request: HttpResponse("hello")) == 1

    def test_a_page_that_sets_a_cookie_is_not_stored(self):
        def view(request):
            response = HttpResponse("hello")
            response.set_cookie("token", "secret")
            return response

        assert self.served(view) == 2

    def test_private_and_error_pages_are_not_stored(self):
        def private(request):
            response = HttpResponse("hello")
            response["Cache-Control"] = "private"
            return response

        assert self.served(private) == 2
        assert self.served(lambda request: HttpResponse("gone", status=404)) == 2

    def test_a_request_with_a_session_is_not_served_from_the_cache(self, settings):
        cookie = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
        assert self.served(lambda request: HttpResponse("hello"), **cookie) == 2

    def test_off_when_the_setting_is_zero(self, settings):
        settings.PAGE_CACHE_SECONDS = 0
        assert self.served(lambda request: HttpResponse("hello")) == 2


class TestLanguageLinks:
    def test_the_link_sets_the_language_cookie_and_opens_the_page(self, client, directory):
        response = client.get("/i18n/language/ja/", {"next": "/ja/organizations/?kind=venture"})
        assert response.status_code == 302
        assert response.url == "/ja/organizations/?kind=venture"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
        # Chosen: the unprefixed address now opens in Japanese, whatever the browser says.
        assert client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="en").url == "/ja/organizations/"

    def test_english_chosen_stays_english_for_a_korean_browser(self, client, directory):
        response = client.get("/i18n/language/en/", {"next": "/organizations/"})
        assert response.url == "/organizations/"
        page = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="ko")
        assert page.status_code == 200 and '<html lang="en">' in page.text

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "", "javascript:alert(1)"]
    )
    def test_an_outside_address_is_not_followed(self, client, next_url):
        response = client.get("/i18n/language/ko/", {"next": next_url})
        assert response.status_code == 302
        assert response.url == "/ko/"

    @pytest.mark.parametrize("code", ["fr", "xx", "ko-KR-x", "%00"])
    def test_an_unknown_language_is_404(self, client, code):
        assert client.get(f"/i18n/language/{code}/", {"next": "/"}).status_code == 404


class TestMembersPages:
    """A member's pages are made for them, with their costly parts from the cache: the list's
    filters and results (per query string and language) and an organization's criteria."""

    def test_the_filter_form_follows_the_filters_the_language_and_the_taxonomy(
        self, client, directory
    ):
        client.force_login(UserFactory())
        selected = '<option value="venture" selected>'
        assert selected in client.get("/organizations/?kind=venture").text
        assert selected not in client.get("/organizations/").text
        assert selected in client.get("/organizations/?kind=venture").text
        assert "iPSC 유래 세포치료제" in client.get("/ko/organizations/").text
        area = directory.areas["ipsc-cell-therapy"]
        area.name_en = "Induced pluripotent stem cells"
        area.save()
        assert "Induced pluripotent stem cells" in client.get("/organizations/").text

    def test_the_lists_filters_and_results_are_read_once(
        self, client, directory, django_assert_num_queries
    ):
        client.force_login(UserFactory())
        first = client.get("/organizations/?kind=venture")
        # The session, the user and the login's delegate record: none of the list's six reads.
        with django_assert_num_queries(3):
            second = client.get("/organizations/?kind=venture")
        # The same page but for the logout form's CSRF token, which changes with every answer.
        assert second.text.split('id="main"')[1] == first.text.split('id="main"')[1]

    def test_the_criteria_are_read_once_and_an_edit_shows_at_once(
        self, client, directory, django_assert_max_num_queries
    ):
        editor = member(directory.takeda, "editor", "takeda-bd")
        client.force_login(editor)
        profile = reverse("directory:organization", args=["takeda"])
        client.get(profile)
        # Without the ten reads of the criteria (tests/directory/test_organization_detail.py).
        with django_assert_max_num_queries(14):
            assert client.get(profile).status_code == 200
        add = reverse("directory:criterion_add", args=["takeda", "interest"])
        assert client.post(add, interest_data(directory)).status_code == 302
        assert "https://www.takeda.example/partnering" in client.get(profile).text
