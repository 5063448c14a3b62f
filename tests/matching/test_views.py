"""The matches page: what it shows, its filters, bad input, query counts, freshness."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kbio.directory.models import FocusArea, Organization
from kbio.matching.models import MatchingProfile
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
    results = html.split('id="assets-title"')[0]
    return [name.strip() for name in re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", results)]


@pytest.mark.usefixtures("real_directory")
class TestPage:
    def test_anyone_sees_ranked_partners_with_reasons_assets_and_gaps(self, client):
        response = client.get(url("ips-bio"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "iPS Bio" in html and "아이피에스바이오" in html
        assert names(html)[0] == "Sumitomo Pharma"
        assert '<span class="native" lang="ja">住友ファーマ</span>' in html
        assert "Both work on iPSC-derived cell therapy" in html
        assert "Korea–Japan cross-border pair" in html
        assert "Why not higher:" in html
        assert "Your assets that fit:" in html
        found = scores(html)
        assert found == sorted(found, reverse=True) and found[0] > 80
        # Each asset lists the partners that fit it best.
        assets = html.split('id="assets-title"')[1]
        assert "iPSC-derived neural progenitor cells" in assets
        assert "Sumitomo Pharma" in assets

    def test_a_pharma_sees_the_assets_of_the_venture_that_fit_it(self, client):
        html = client.get(url("daiichi-sankyo")).content.decode()
        assert names(html)[0] == "Pinotbio"
        assert "Their assets that fit:" in html
        assert "PINOT-ADC platform" in html

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
        cros = client.get(url("ips-bio"), {"kind": "cro_cdmo"}).content.decode()
        listed = names(cros)
        assert "CMIC Group" in listed and "Sumitomo Pharma" not in listed
        cro_names = set(Organization.objects.filter(kind="cro_cdmo").values_list("name", flat=True))
        assert set(listed) <= cro_names
        korean = names(client.get(url("takeda"), {"country": "KR"}).content.decode())
        countries = set(
            Organization.objects.filter(name__in=korean).values_list("country", flat=True)
        )
        assert countries == {"KR"}
        glp = names(client.get(url("ips-bio"), {"area": "glp-toxicology"}).content.decode())
        offering = set(
            Organization.objects.filter(focus_areas__slug="glp-toxicology").values_list(
                "name", flat=True
            )
        )
        assert glp and set(glp) <= offering
        high = scores(client.get(url("ips-bio"), {"min_score": 60}).content.decode())
        assert high and min(high) >= 60
        everything = scores(client.get(url("ips-bio")).content.decode())
        assert len(high) < len(everything)

    def test_a_broad_area_filter_finds_work_under_it(self, client):
        # Immuno-oncology sits under oncology: filtering on oncology keeps those partners.
        html = client.get(url("cmic"), {"area": "oncology"}).content.decode()
        assert "Ingenium Therapeutics" in html

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"min_score": "abc"}, "Enter a whole number."),
            ({"min_score": "150"}, "Ensure this value is less than or equal to 100."),
            ({"kind": "alien"}, "Select a valid choice."),
            ({"area": "astrology"}, "Select a valid choice."),
            ({"country": "ZZ"}, "Select a valid choice."),
        ],
    )
    def test_bad_filter_input_gets_a_clear_error_and_keeps_what_was_typed(
        self, client, query, message
    ):
        response = client.get(url("ips-bio"), query)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        assert "Correct the filters above to see suggestions." in html
        value = next(iter(query.values()))
        if "min_score" in query:
            assert f'value="{value}"' in html
        assert scores(html) == []

    def test_the_page_works_in_korean_and_japanese(self, client):
        korean = client.get(url("ips-bio", "ko")).content.decode()
        assert "iPSC 유래 세포치료제" in korean
        assert "Both work on" not in korean
        assert "한일" in korean
        japanese = client.get(url("pinotbio", "ja")).content.decode()
        assert "抗体薬物複合体（ADC）" in japanese
        assert "Both work on" not in japanese


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
    # First view after a change: version, eight reads to rebuild the index, profile.
    with django_assert_num_queries(10):
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

    def test_an_organization_edited_in_admin_moves_in_the_next_view(self, staff):
        before = names(staff.get(url("ips-bio"), {"kind": "pharma"}).content.decode())
        assert before.index("Otsuka Pharmaceutical") > 1
        otsuka = Organization.objects.get(slug="otsuka")
        focus = list(otsuka.focus_areas.values_list("pk", flat=True))
        focus.append(FocusArea.objects.get(slug="ipsc-cell-therapy").pk)
        data = {
            "name": otsuka.name,
            "native_name": otsuka.native_name,
            "slug": otsuka.slug,
            "kind": otsuka.kind,
            "is_active": "on",
            "country": otsuka.country.code,
            "city": otsuka.city,
            "website": otsuka.website,
            "founded": otsuka.founded or "",
            "languages": otsuka.languages,
            "description": otsuka.description,
            "focus_areas": focus,
            "lead_stage": otsuka.lead_stage,
            "seeks": list(otsuka.seeks.values_list("pk", flat=True)),
            "offers": list(otsuka.offers.values_list("pk", flat=True)),
            "preferred_stages": otsuka.preferred_stages,
        }
        for prefix in ("assets", "contacts"):
            data |= {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        response = staff.post(
            reverse("admin:directory_organization_change", args=[otsuka.pk]), data
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        html = staff.get(url("ips-bio"), {"kind": "pharma"}).content.decode()
        assert names(html).index("Otsuka Pharmaceutical") < before.index("Otsuka Pharmaceutical")

    def test_a_matching_profile_edited_in_admin_applies_in_the_next_view(self, staff):
        assert "Human Life CORD" not in staff.get(url("youth-bio-global")).content.decode()
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
            "weight_services": 25,
            "cross_border_bonus": 15,
            "include_same_kind": "on",
        }
        response = staff.post(
            reverse("admin:matching_matchingprofile_change", args=[profile.pk]), data
        )
        assert response.status_code == 302
        assert "Human Life CORD" in staff.get(url("youth-bio-global")).content.decode()
