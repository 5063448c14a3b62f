"""Shortlist and "not interested", on the matches page and on profiles: private to the
organization, written by its owners and editors, and "not interested" feeds the matching."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kbio.directory.models import Organization
from kbio.matching.models import ShortlistEntry, SuggestionFeedback
from kbio.matching.services import (
    ShortlistRefused,
    shortlist_add,
    shortlist_remove,
    suggestion_feedback_record,
)
from kbio.matching.shortlist import shortlisted
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.usefixtures("real_directory")

NOTE = "Ask about the ADC linker data"
PROFILE = "/organizations/eisai/"
MATCHES = "/organizations/pinotbio/matches/"
SHORTLIST = "/organizations/pinotbio/shortlist/"
ADD = "/organizations/pinotbio/shortlist/add/"
REMOVE = "/organizations/pinotbio/shortlist/remove/"
NOT_INTERESTED = "/organizations/pinotbio/matches/not-interested/"
AGAIN = "/organizations/pinotbio/matches/interested-again/"


def org(slug):
    return Organization.objects.get(slug=slug)


def member(slug, role="editor"):
    user = UserFactory()
    ContactFactory(organization=org(slug), user=user, role=role)
    client = Client()
    client.force_login(user)
    return client


def visitor(who):
    """Someone outside pinotbio: anonymous, another organization's member, the partner's own
    member, or an organizer without an organization."""
    if who == "outsider":
        return member("ono-pharmaceutical")
    if who == "partner":
        return member("eisai")
    client = Client()
    if who == "organizer":
        client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def editor():
    return member("pinotbio")


@pytest.fixture
def viewer():
    return member("pinotbio", role="viewer")


def names(html):
    """Partner names in the ranked list of the matches page."""
    results = html.split('id="results-title"')[1].split("</section>")[0]
    return [name.strip() for name in re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", results)]


def row(html, slug):
    """One suggestion of the matches page (or of the shortlist page)."""
    return re.split(r'<li class="suggestion"|</section>', html.split(f'id="partner-{slug}"')[1])[0]


def section(html, title_id):
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


def marked(pinot="pinotbio", partner="eisai", reason="not_now"):
    suggestion_feedback_record(organization=org(pinot), partner=org(partner), reason=reason)


class TestServices:
    def test_shortlisting_withdraws_not_interested_and_marking_removes_the_entry(self):
        pinot, eisai = org("pinotbio"), org("eisai")
        marked()
        shortlist_add(organization=pinot, partner=eisai, note=NOTE)
        assert not SuggestionFeedback.objects.exists()
        assert ShortlistEntry.objects.get().note == NOTE
        marked(reason="outside_focus")
        assert not ShortlistEntry.objects.exists()
        assert SuggestionFeedback.objects.get().reason == "outside_focus"

    def test_once_per_pair_and_the_note_is_kept_unless_given(self):
        pinot, eisai = org("pinotbio"), org("eisai")
        shortlist_add(organization=pinot, partner=eisai, note=NOTE)
        shortlist_add(organization=pinot, partner=eisai)
        assert ShortlistEntry.objects.get().note == NOTE
        shortlist_add(organization=pinot, partner=eisai, note="")
        assert ShortlistEntry.objects.get().note == ""
        shortlist_remove(organization=pinot, partner=eisai)
        shortlist_remove(organization=pinot, partner=eisai)
        assert not ShortlistEntry.objects.exists()

    def test_an_organization_cannot_shortlist_itself(self):
        with pytest.raises(ShortlistRefused):
            shortlist_add(organization=org("pinotbio"), partner=org("pinotbio"))
        assert not ShortlistEntry.objects.exists()

    def test_shortlisted_gives_each_partner_its_fit_in_bounded_queries(
        self, django_assert_num_queries
    ):
        pinot = org("pinotbio")
        shortlist_add(organization=pinot, partner=org("takeda"), note=NOTE)
        shortlist_add(organization=pinot, partner=org("eisai"))
        shortlisted(pinot)  # builds the matching index
        # the entries with their partners, the index version, the matching profile
        with django_assert_num_queries(3):
            found = shortlisted(pinot)
        assert [item.partner.slug for item in found] == ["eisai", "takeda"]
        takeda = found[1]
        assert takeda.entry.note == NOTE
        assert takeda.fit.score == 100 and takeda.fit.reasons
        assert takeda.profile_url == "/organizations/takeda/"
        assert shortlisted(org("takeda")) == []


class TestFromTheProfile:
    def test_shortlist_and_remove(self, editor):
        html = editor.get(PROFILE).content.decode()
        assert f'action="{ADD}"' in html and 'name="next" value="/organizations/eisai/"' in html
        assert "On your shortlist" not in html
        response = editor.post(ADD, {"partner": "eisai", "next": PROFILE}, follow=True)
        assert response.redirect_chain == [(PROFILE, 302)]
        html = response.content.decode()
        assert "Eisai is on your shortlist." in html
        assert "On your shortlist" in html and "Remove from shortlist" in html
        assert ShortlistEntry.objects.get().added_by is not None
        page = editor.get(SHORTLIST).content.decode()
        eisai = row(page, "eisai")
        assert '<a href="/organizations/eisai/">Eisai</a>' in eisai
        assert re.search(r"<strong>\d+</strong>", eisai)
        assert 'class="suggestion-reasons"' in eisai
        response = editor.post(REMOVE, {"partner": "eisai", "next": PROFILE}, follow=True)
        html = response.content.decode()
        assert "Eisai is no longer on your shortlist." in html
        assert "On your shortlist" not in html and not ShortlistEntry.objects.exists()

    def test_not_interested_leaves_the_suggestions_and_undo_brings_it_back(self, editor):
        assert "Eisai" in names(editor.get(MATCHES).content.decode())
        html = editor.get(PROFILE).content.decode()
        assert "Not interested…" in html and f'action="{NOT_INTERESTED}"' in html
        response = editor.post(
            NOT_INTERESTED,
            {"partner": "eisai", "reason": "already_in_contact", "next": PROFILE},
            follow=True,
        )
        assert response.redirect_chain == [(PROFILE, 302)]
        html = response.content.decode()
        assert "Eisai will not be suggested again." in html
        assert "Marked not interested (Already in contact)" in html
        assert f'action="{AGAIN}"' in html
        assert "Eisai" not in names(editor.get(MATCHES).content.decode())
        marks = section(editor.get(SHORTLIST).content.decode(), "marked-title")
        assert "Eisai" in marks and "Already in contact" in marks
        response = editor.post(AGAIN, {"partner": "eisai", "next": PROFILE}, follow=True)
        assert "Marked not interested" not in response.content.decode()
        assert "Eisai" in names(editor.get(MATCHES).content.decode())

    def test_shortlisting_a_partner_marked_not_interested_suggests_it_again(self, editor):
        marked()
        assert "Eisai" not in names(editor.get(MATCHES).content.decode())
        html = editor.post(ADD, {"partner": "eisai", "next": PROFILE}, follow=True).content
        assert "Marked not interested" not in html.decode()
        assert "Eisai" in names(editor.get(MATCHES).content.decode())

    def test_ones_own_profile_has_no_shortlist_button(self, editor):
        html = editor.get("/organizations/pinotbio/").content.decode()
        assert f'action="{ADD}"' not in html and "Not interested…" not in html


class TestFromTheMatchesPage:
    def test_shortlist_a_suggestion_and_come_back_to_the_same_list(self, editor):
        back = MATCHES + "?kind=pharma"
        html = editor.get(back).content.decode()
        eisai = row(html, "eisai")
        assert f'action="{ADD}"' in eisai
        assert 'name="next" value="/organizations/pinotbio/matches/?kind=pharma"' in eisai
        response = editor.post(ADD, {"partner": "eisai", "next": back}, follow=True)
        assert response.redirect_chain == [(back, 302)]
        eisai = row(response.content.decode(), "eisai")
        assert "On your shortlist" in eisai and "Remove from shortlist" in eisai
        assert "On your shortlist" not in row(response.content.decode(), "takeda")
        response = editor.post(REMOVE, {"partner": "eisai", "next": back}, follow=True)
        assert "On your shortlist" not in row(response.content.decode(), "eisai")

    def test_not_interested_on_a_shortlisted_suggestion_removes_both(self, editor):
        shortlist_add(organization=org("pinotbio"), partner=org("eisai"))
        response = editor.post(
            NOT_INTERESTED, {"partner": "eisai", "reason": "not_now", "next": MATCHES}, follow=True
        )
        html = response.content.decode()
        assert "Eisai will not be suggested again. You can undo this" in html
        assert "Eisai" not in names(html)
        assert "Eisai" in section(html, "marked-title")
        assert not ShortlistEntry.objects.exists()

    def test_the_page_links_its_members_to_the_shortlist(self, editor, client):
        assert f'href="{SHORTLIST}"' in editor.get(MATCHES).content.decode()
        assert f'href="{SHORTLIST}"' not in client.get(MATCHES).content.decode()


class TestShortlistPage:
    def test_partners_with_fit_note_meeting_request_and_remove(self, editor):
        event = EventFactory(name="Seoul Partnering")
        for slug in ("pinotbio", "takeda"):
            ParticipationFactory(event=event, organization=org(slug))
        shortlist_add(organization=org("pinotbio"), partner=org("takeda"), note=NOTE)
        shortlist_add(organization=org("pinotbio"), partner=org("eisai"))
        html = editor.get(SHORTLIST).content.decode()
        takeda = row(html, "takeda")
        assert "Request a meeting · Seoul Partnering" in takeda
        assert f'value="{NOTE}"' in takeda and "Remove from shortlist" in takeda
        assert "Request a meeting" not in row(html, "eisai")
        assert "No partner marked not interested." in html

    def test_the_note_is_edited_and_a_bad_note_is_refused(self, editor):
        shortlist_add(organization=org("pinotbio"), partner=org("takeda"), note=NOTE)
        editor.post(ADD, {"partner": "takeda", "note": "Call in May", "next": SHORTLIST})
        assert ShortlistEntry.objects.get().note == "Call in May"
        for note in ("x" * 501, "a\x00b"):
            response = editor.post(ADD, {"partner": "takeda", "note": note}, follow=True)
            assert "The note was not saved" in response.content.decode()
            assert ShortlistEntry.objects.get().note == "Call in May"

    def test_empty(self, editor):
        html = editor.get(SHORTLIST).content.decode()
        assert "No partner shortlisted yet." in html

    @pytest.mark.parametrize("count", [2, 10])
    def test_query_count_does_not_grow(self, editor, django_assert_num_queries, count):
        pinot = org("pinotbio")
        event = EventFactory()
        ParticipationFactory(event=event, organization=pinot)
        partners = Organization.objects.active().exclude(pk=pinot.pk).order_by("slug")[:count]
        for partner in partners:
            shortlist_add(organization=pinot, partner=partner, note=partner.name)
            ParticipationFactory(event=event, organization=partner)
        for partner in Organization.objects.exclude(pk=pinot.pk).order_by("-slug")[:2]:
            marked(partner=partner.slug)
        editor.get(SHORTLIST)  # builds the matching index
        # session, user, the login's contact; the entries, the index version, the matching
        # profile; three for the meeting requests; the not-interested marks
        with django_assert_num_queries(10):
            response = editor.get(SHORTLIST)
        assert response.content.decode().count("Request a meeting") == count


class TestPrivacy:
    """Nobody outside the organization sees its shortlist or its marks, even the partner."""

    @pytest.fixture
    def kept(self):
        shortlist_add(organization=org("pinotbio"), partner=org("eisai"), note=NOTE)
        marked(partner="takeda")

    def test_the_page_is_404_for_anyone_else(self, kept):
        for who in ("outsider", "partner", "organizer"):
            assert visitor(who).get(SHORTLIST).status_code == 404, who

    def test_anonymous_is_sent_to_log_in(self, kept, client):
        response = client.get(SHORTLIST)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize("who", ["anonymous", "outsider", "partner", "organizer"])
    def test_no_trace_on_any_page(self, kept, who):
        client = visitor(who)
        for url in (
            "/organizations/eisai/",
            "/organizations/takeda/",
            "/organizations/pinotbio/",
            MATCHES,
            "/organizations/eisai/matches/",
        ):
            html = client.get(url).content.decode()
            for trace in ("On your shortlist", "Marked not interested", NOTE, SHORTLIST):
                assert trace not in html, (url, trace)

    def test_another_organization_cannot_write(self, kept):
        outsider = member("eisai")
        data = {"partner": "takeda", "reason": "not_now", "next": PROFILE}
        for url in (ADD, REMOVE, NOT_INTERESTED, AGAIN):
            assert outsider.post(url, data).status_code == 404
            assert outsider.post(url, {"partner": "eisai"}).status_code == 404
        assert list(ShortlistEntry.objects.values_list("partner__slug", flat=True)) == ["eisai"]
        assert list(SuggestionFeedback.objects.values_list("partner__slug", flat=True)) == [
            "takeda"
        ]


class TestViewer:
    def test_sees_the_state_and_the_page_but_no_buttons(self, viewer):
        shortlist_add(organization=org("pinotbio"), partner=org("eisai"), note=NOTE)
        marked(partner="takeda")
        profile = viewer.get(PROFILE).content.decode()
        assert "On your shortlist" in profile
        assert "Remove from shortlist" not in profile and "Not interested…" not in profile
        takeda = viewer.get("/organizations/takeda/").content.decode()
        assert "Marked not interested (Not now)" in takeda and f'action="{AGAIN}"' not in takeda
        eisai = row(viewer.get(MATCHES).content.decode(), "eisai")
        assert "On your shortlist" in eisai and "<form" not in eisai
        page = viewer.get(SHORTLIST).content.decode()
        assert NOTE in page and "Eisai" in page and "Takeda" in page
        assert "<form" not in page.split('id="shortlist-title"')[1]

    def test_cannot_write(self, viewer):
        shortlist_add(organization=org("pinotbio"), partner=org("eisai"))
        marked(partner="takeda")
        for url in (ADD, REMOVE, NOT_INTERESTED, AGAIN):
            for partner in ("eisai", "takeda", "ono-pharmaceutical"):
                response = viewer.post(url, {"partner": partner, "reason": "not_now"})
                assert response.status_code == 404
        assert ShortlistEntry.objects.count() == 1
        assert SuggestionFeedback.objects.get().partner.slug == "takeda"


class TestHostileInput:
    def test_a_bad_partner_is_refused_with_a_message(self, editor):
        unknown = "Choose an organization of the directory to shortlist."
        for data, message in (
            ({"partner": "no-such-org"}, unknown),
            ({"partner": "a\x00b"}, unknown),
            ({"partner": "x" * 10_000}, unknown),
            ({}, unknown),
            ({"partner": "pinotbio"}, "Your own organization cannot be on its shortlist."),
        ):
            response = editor.post(ADD, {**data, "next": PROFILE}, follow=True)
            assert response.status_code == 200
            assert message in response.content.decode()
            assert not ShortlistEntry.objects.exists()
            response = editor.post(REMOVE, data, follow=True)
            assert response.status_code == 200

    def test_a_next_elsewhere_is_ignored(self, editor):
        for next_url in (
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "javascript:alert(1)",
            "/organizations/\x00/",
            "",
        ):
            for url, data, default in (
                (ADD, {"partner": "eisai"}, SHORTLIST),
                (REMOVE, {"partner": "eisai"}, SHORTLIST),
                (NOT_INTERESTED, {"partner": "eisai", "reason": "not_now"}, MATCHES),
                (AGAIN, {"partner": "eisai"}, MATCHES),
            ):
                response = editor.post(url, {**data, "next": next_url})
                assert response.status_code == 302
                assert response["Location"] == default, (url, next_url)

    def test_another_or_unknown_organization_in_the_address_is_404(self, editor):
        for url in (
            "/organizations/no-such-org/shortlist/",
            "/organizations/eisai/shortlist/",
            "/organizations/a%00b/shortlist/",
            "/organizations/" + "x" * 500 + "/shortlist/",
        ):
            assert editor.get(url).status_code == 404
            assert editor.post(url + "add/", {"partner": "takeda"}).status_code == 404
        assert not ShortlistEntry.objects.exists()

    def test_get_on_a_write_is_refused(self, editor):
        assert editor.get(ADD).status_code == 405
        assert editor.get(REMOVE).status_code == 405


class TestAdmin:
    def test_list_search_and_add_through_the_service(self, admin_client):
        marked()
        response = admin_client.get(reverse("admin:matching_shortlistentry_changelist"), {"q": "x"})
        assert response.status_code == 200
        response = admin_client.post(
            reverse("admin:matching_shortlistentry_add"),
            {"organization": org("pinotbio").pk, "partner": org("eisai").pk, "note": NOTE},
        )
        assert response.status_code == 302
        assert ShortlistEntry.objects.get().note == NOTE
        assert not SuggestionFeedback.objects.exists()
        html = admin_client.get(reverse("admin:matching_shortlistentry_changelist")).content
        assert b"Pinotbio" in html and b"Eisai" in html
        refused = admin_client.post(
            reverse("admin:matching_shortlistentry_add"),
            {"organization": org("pinotbio").pk, "partner": org("pinotbio").pk},
        )
        assert refused.status_code == 200 and ShortlistEntry.objects.count() == 1
