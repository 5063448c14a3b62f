"""The matches page: what it shows, its filters, bad input, query counts, freshness."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kbio.directory.models import FocusArea, Interest, Organization
from kbio.matching.models import MatchingProfile, SuggestionFeedback
from kbio.matching.services import match_index_invalidate
from tests.factories import UserFactory


def url(slug, language="en"):
    with translation.override(language):
        return reverse("matching:organization_matches", args=[slug])


def scores(html):
    return [
        int(s) for s in re.findall(r'<div class="suggestion-score"[^>]*>\s*<strong>(\d+)', html)
    ]


def names(html):
    """Partner names in the ranked list, in order."""
    results = html.split('id="results-title"')[1].split("</section>")[0]
    return [name.strip() for name in re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", results)]


def section(html, title_id):
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


@pytest.mark.usefixtures("real_directory")
class TestPage:
    def test_anyone_sees_ranked_partners_in_their_role_with_reasons_and_gaps(self, client):
        response = client.get(url("pinotbio"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Pinotbio" in html and "피노바이오" in html
        assert names(html)[0] == "Takeda Pharmaceutical"
        assert '<span class="native" lang="ja">武田薬品工業</span>' in html
        assert '<span class="suggestion-role">Licensee or co-developer</span>' in html
        assert (
            "They look for antibody–drug conjugates (ADC), antibodies and small molecules" in html
        )
        assert "Korea–Japan cross-border pair" in html
        assert "Why not higher:" in html or "What we don't know:" in html
        found = scores(html)
        assert found == sorted(found, reverse=True) and found[0] == 100
        # Each asset lists the partners that would take it on.
        assets = html.split('id="assets-title"')[1]
        assert "NTX-101" in assets and "Santen Pharmaceutical" in assets

    def test_what_the_organization_came_for_comes_first(self, client):
        html = client.get(url("pinotbio")).content.decode()
        intents = section(html, "intents-title")
        assert "Licensees or buyers for our assets" in intents
        assert "Takeda Pharmaceutical" in intents
        assert "Investors" in intents

    def test_what_a_stated_fact_rules_out_is_said(self, client):
        html = client.get(url("pinotbio")).content.decode()
        ruled = section(html, "left-out-title")
        assert "Daiichi Sankyo" in ruled
        assert "Competing platform" in ruled
        assert "Daiichi Sankyo" not in names(html)

    def test_existing_relationships_are_listed_apart(self, client):
        html = client.get(url("cefobio")).content.decode()
        related = section(html, "related-title")
        assert "Shonan Health Innovation Park" in related
        assert "Shonan Health Innovation Park" not in names(html)

    def test_an_empty_profile_is_told_why_it_has_no_suggestions(self, client):
        html = client.get(url("pmda")).content.decode()
        assert "There is nothing to match on yet" in html
        assert scores(html) == []

    @pytest.mark.parametrize("slug", ["no-such-organization", "ips-bio"])
    def test_unknown_or_inactive_organizations_are_404(self, client, slug):
        if slug == "ips-bio":
            Organization.objects.filter(slug=slug).update(is_active=False)
            match_index_invalidate()
        assert client.get(url(slug)).status_code == 404

    def test_filters_narrow_the_list(self, client):
        cros = names(client.get(url("cefobio"), {"kind": "cro_cdmo"}).content.decode())
        assert "CMIC Group" in cros
        cro_names = set(Organization.objects.filter(kind="cro_cdmo").values_list("name", flat=True))
        assert set(cros) <= cro_names
        korean = names(client.get(url("ono-pharmaceutical"), {"country": "KR"}).content.decode())
        countries = set(
            Organization.objects.filter(name__in=korean).values_list("country", flat=True)
        )
        assert korean and countries == {"KR"}
        investors = client.get(url("pinotbio"), {"role": "licensee"}).content.decode()
        assert set(names(investors)) <= set(
            Organization.objects.filter(kind="pharma").values_list("name", flat=True)
        )
        high = scores(client.get(url("pinotbio"), {"min_score": 90}).content.decode())
        assert high and min(high) >= 90
        everything = scores(client.get(url("pinotbio")).content.decode())
        assert len(high) < len(everything)
        # Weaker fits than the profile's lowest suggested score are there when asked for.
        weak = scores(client.get(url("pinotbio"), {"min_score": 0}).content.decode())
        assert min(weak) < MatchingProfile.objects.weights().minimum <= min(everything)

    def test_a_broad_area_filter_finds_work_under_it(self, client):
        # Immuno-oncology sits under oncology: filtering on oncology keeps those partners.
        html = client.get(url("ono-pharmaceutical"), {"area": "oncology"}).content.decode()
        assert "Ingenium Therapeutics" in html

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"min_score": "abc"}, "Enter a whole number."),
            ({"min_score": "150"}, "Ensure this value is less than or equal to 100."),
            ({"kind": "alien"}, "Select a valid choice."),
            ({"area": "astrology"}, "Select a valid choice."),
            ({"country": "ZZ"}, "Select a valid choice."),
            ({"role": "emperor"}, "Select a valid choice."),
        ],
    )
    def test_bad_filter_input_gets_a_clear_error_and_keeps_what_was_typed(
        self, client, query, message
    ):
        response = client.get(url("pinotbio"), query)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        assert "Correct the filters above to see suggestions." in html
        value = next(iter(query.values()))
        if "min_score" in query:
            assert f'value="{value}"' in html
        assert scores(html) == []

    def test_the_page_works_in_korean_and_japanese(self, client):
        korean = client.get(url("pinotbio", "ko")).content.decode()
        assert "항체-약물 접합체" in korean
        assert "They look for" not in korean
        assert "한일" in korean
        japanese = client.get(url("pinotbio", "ja")).content.decode()
        assert "抗体薬物複合体（ADC）" in japanese
        assert "They look for" not in japanese


@pytest.mark.django_db
@pytest.mark.parametrize("size", [100, 5000])
def test_the_query_count_does_not_grow_with_the_directory(
    client, generated_directory, django_assert_num_queries, size
):
    generated_directory(size)
    slug = (
        Organization.objects.filter(kind="venture", assets__isnull=False)
        .order_by("slug")
        .values_list("slug", flat=True)
        .first()
    )
    # First view after a change: version, the reads that rebuild the index, profile.
    with django_assert_num_queries(22):
        assert client.get(url(slug)).status_code == 200
    # Every view after that: version and profile.
    with django_assert_num_queries(2):
        response = client.get(url(slug), {"kind": "pharma", "page": 2})
    assert response.status_code == 200


@pytest.mark.usefixtures("real_directory")
class TestFreshness:
    """An edit in admin shows in the next page view."""

    @pytest.fixture
    def staff(self, client):
        user = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(user)
        return client

    def test_an_interest_added_in_admin_shows_in_the_next_view(self, staff):
        """Kyowa Kirin looks for antibodies; once it also looks for exosomes in dermatology,
        Brexogen's atopic-dermatitis exosome becomes a suggestion."""
        assert "Kyowa Kirin" not in names(staff.get(url("brexogen")).content.decode())
        kyowa = Organization.objects.get(slug="kyowa-kirin")
        interest = Interest.objects.create(organization=kyowa, slug="exosomes-dermatology")
        interest.modalities.set([FocusArea.objects.get(slug="exosome-ev")])
        interest.therapeutic_areas.set([FocusArea.objects.get(slug="immunology-dermatology")])
        match_index_invalidate()  # what the admin's save does
        html = staff.get(url("brexogen")).content.decode()
        assert "Kyowa Kirin" in names(html)
        assert (
            "They look for exosomes and extracellular vesicles in immunology and dermatology"
            in html
        )

    def test_a_matching_profile_edited_in_admin_applies_in_the_next_view(self, staff):
        before = scores(staff.get(url("cefobio"), {"kind": "cro_cdmo"}).content.decode())
        profile = MatchingProfile.objects.get(is_default=True)
        data = {
            "name": profile.name,
            "slug": profile.slug,
            "is_default": "on",
            "notes": profile.notes,
            "weight_deal": 25,
            "weight_modality": 20,
            "weight_therapeutic_area": 20,
            "weight_stage": 15,
            "weight_services": 100,
            "off_intent": 50,
            "cross_border_bonus": 15,
            "minimum_score": 35,
        }
        response = staff.post(
            reverse("admin:matching_matchingprofile_change", args=[profile.pk]), data
        )
        assert response.status_code == 302
        after = scores(staff.get(url("cefobio"), {"kind": "cro_cdmo"}).content.decode())
        assert after[0] > before[0]


@pytest.mark.django_db
class TestNotInterested:
    """A delegate hides a suggestion; outside its focus, similar partners rank lower too."""

    @pytest.fixture
    def setup(self, client):
        from django.core.management import call_command

        from tests.factories import ContactFactory

        call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
        match_index_invalidate()
        user = UserFactory()
        ContactFactory(organization=Organization.objects.get(slug="pinotbio"), user=user)
        client.force_login(user)
        return client

    def test_a_delegate_hides_a_partner_and_undoes_it(self, setup):
        client = setup
        before = client.get(url("pinotbio")).content.decode()
        assert "Eisai" in names(before)
        assert 'action="/organizations/pinotbio/matches/not-interested/"' in before
        response = client.post(
            "/organizations/pinotbio/matches/not-interested/",
            {"partner": "eisai", "reason": "outside_focus"},
            follow=True,
        )
        html = response.content.decode()
        assert "Eisai will not be suggested again." in html
        assert "Eisai" not in names(html)
        assert "Eisai" in section(html, "marked-title")
        # Similar partners (pharma on the same modalities) rank lower, and say why.
        assert "Ranked lower: you turned down Eisai as outside your focus" in html
        client.post("/organizations/pinotbio/matches/interested-again/", {"partner": "eisai"})
        assert "Eisai" in names(client.get(url("pinotbio")).content.decode())

    def test_only_the_organizations_own_delegates_can_mark(self, setup, client):
        response = setup.post(
            "/organizations/takeda/matches/not-interested/",
            {"partner": "pinotbio", "reason": "not_now"},
        )
        assert response.status_code == 404
        assert not SuggestionFeedback.objects.exists()
        client.logout()
        anonymous = client.post(
            "/organizations/pinotbio/matches/not-interested/",
            {"partner": "eisai", "reason": "not_now"},
        )
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    @pytest.mark.parametrize(
        "data",
        [
            {"partner": "no-such-org", "reason": "not_now"},
            {"partner": "eisai", "reason": "because"},
            {"partner": "pinotbio", "reason": "not_now"},
            {"partner": "a\x00b", "reason": "not_now"},
            {},
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_saves_nothing(self, setup, data):
        response = setup.post("/organizations/pinotbio/matches/not-interested/", data, follow=True)
        assert response.status_code == 200
        assert "Choose a partner and a reason." in response.content.decode()
        assert not SuggestionFeedback.objects.exists()
        undo = setup.post("/organizations/pinotbio/matches/interested-again/", data, follow=True)
        assert undo.status_code == 200

    def test_outside_our_focus_lowers_similar_partners(self, setup):
        from kbio.matching.index import current_index

        index = current_index()
        weights = MatchingProfile.objects.weights()
        pinot, eisai, ono = (index.by_slug[s] for s in ("pinotbio", "eisai", "ono-pharmaceutical"))
        before = index.engine.scores(index.row(pinot), weights)[index.row(ono)]
        SuggestionFeedback.objects.create(
            organization=Organization.objects.get(slug="pinotbio"),
            partner=Organization.objects.get(slug="eisai"),
            reason="outside_focus",
        )
        match_index_invalidate()
        index = current_index()
        after = index.engine.scores(index.row(index.by_slug["pinotbio"]), weights)
        assert after[index.row(index.by_slug["ono-pharmaceutical"])] < before
        assert after[index.row(index.by_slug["eisai"])] == -1
