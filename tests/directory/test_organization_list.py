import re
from html import unescape

import pytest
from django.urls import reverse

from kbio.directory.models import Organization
from tests.directory.conftest import generate_organizations
from tests.factories import OrganizationFactory

LIST = reverse("directory:organization_list")


def names(response) -> list[str]:
    """The organization names of the result cards, in order."""
    return [
        unescape(name)
        for name in re.findall(
            r'<h3 class="org-card__name">\s*<a href="[^"]+">([^<]+)</a>', response.text
        )
    ]


def result_count(response) -> str:
    match = re.search(r'<h2 id="results-count"[^>]*>([^<]+)</h2>', response.text)
    return match.group(1).strip()


@pytest.mark.django_db
class TestFilters:
    def test_every_active_organization_is_listed_with_the_count(self, client, directory):
        OrganizationFactory(name="Dormant Bio", is_active=False)
        response = client.get(LIST)
        assert response.status_code == 200
        assert result_count(response) == "6 organizations"
        assert names(response) == [
            "Astellas Pharma",
            "CEFObio",
            "CMIC Group",
            "iPS Bio",
            "Takeda Pharmaceutical",
            "YiPSCELL",
        ]

    def test_ipsc_ventures_leave_out_ipsc_pharma(self, client, directory):
        response = client.get(LIST, {"kind": "venture", "focus": "ipsc-cell-therapy"})
        assert names(response) == ["iPS Bio", "YiPSCELL"]
        assert result_count(response) == "2 organizations"

    def test_the_form_shows_the_filters_of_the_query_string(self, client, directory):
        response = client.get(LIST, {"kind": "venture", "focus": "ipsc-cell-therapy"})
        assert re.search(r'<option value="venture" selected>', response.text)
        assert re.search(
            r'<input type="checkbox" name="focus" value="ipsc-cell-therapy"[^>]* checked>',
            response.text,
        )
        assert not re.search(r'value="msc-cell-therapy"[^>]* checked', response.text)

    def test_several_modalities_find_either(self, client, directory):
        response = client.get(LIST, {"focus": ["ipsc-cell-therapy", "msc-cell-therapy"]})
        assert names(response) == ["Astellas Pharma", "CEFObio", "iPS Bio", "YiPSCELL"]

    def test_a_modality_and_a_therapeutic_area_find_both(self, client, directory):
        response = client.get(LIST, {"focus": ["ipsc-cell-therapy", "neurology"]})
        assert names(response) == ["iPS Bio"]

    def test_country(self, client, directory):
        response = client.get(LIST, {"country": "JP"})
        assert names(response) == ["Astellas Pharma", "CMIC Group", "Takeda Pharmaceutical"]

    def test_country_choices_are_the_countries_present(self, client, directory):
        response = client.get(LIST)
        select = re.search(r'<select[^>]* name="country">.*?</select>', response.text, re.S).group(
            0
        )
        assert re.findall(r'<option value="([A-Z]{2})"', select) == ["JP", "KR"]

    def test_lead_stage(self, client, directory):
        assert names(client.get(LIST, {"stage": "phase_2"})) == ["CEFObio"]

    def test_seeks_and_offers(self, client, directory):
        assert names(client.get(LIST, {"offers": "cro-services"})) == ["CMIC Group"]
        assert names(client.get(LIST, {"seeks": "equity-investment"})) == ["YiPSCELL"]
        assert names(client.get(LIST, {"seeks": "licensing", "offers": "licensing"})) == [
            "CEFObio",
            "Takeda Pharmaceutical",
        ]

    @pytest.mark.parametrize(
        "text, expected",
        [
            ("yipscell", ["YiPSCELL"]),  # any letter case
            ("입셀", ["YiPSCELL"]),  # Korean native name
            ("アステラス", ["Astellas Pharma"]),  # Japanese native name
            ("MIUChon", ["YiPSCELL"]),  # an asset name
            ("osteoarthritis", ["YiPSCELL"]),  # the description
            ("pluripotent", ["Astellas Pharma", "YiPSCELL"]),
            ("pluripotent knee", ["YiPSCELL"]),  # every word must match
        ],
    )
    def test_text_search(self, client, directory, text, expected):
        assert names(client.get(LIST, {"q": text})) == expected

    def test_search_does_not_repeat_an_organization_with_several_matching_assets(
        self, client, directory
    ):
        from tests.factories import AssetFactory

        AssetFactory(organization=directory.yipscell, name="MIUChon-2")
        assert names(client.get(LIST, {"q": "MIUChon"})) == ["YiPSCELL"]


@pytest.mark.django_db
class TestEmptyAndBadInput:
    def test_an_empty_result_says_so_and_offers_to_clear_the_filters(self, client, directory):
        response = client.get(LIST, {"q": "no such organization anywhere"})
        assert result_count(response) == "0 organizations"
        assert "No organization matches these filters." in response.text
        assert f'<a class="button" href="{LIST}">Clear all filters</a>' in response.text

    def test_an_unknown_value_is_reported_and_the_other_filters_still_apply(
        self, client, directory
    ):
        response = client.get(LIST, {"kind": "spaceship", "country": "JP"})
        assert response.status_code == 200
        assert "Some filters could not be understood" in response.text
        assert "Select a valid choice. spaceship is not one of the available choices." in (
            response.text
        )
        assert names(response) == ["Astellas Pharma", "CMIC Group", "Takeda Pharmaceutical"]

    def test_an_unknown_focus_area_is_reported(self, client, directory):
        response = client.get(LIST, {"focus": ["ipsc-cell-therapy", "astrology"]})
        assert "astrology is not one of the available choices" in response.text
        assert len(names(response)) == 6

    def test_a_page_number_out_of_range_shows_the_last_page(self, client, directory):
        response = client.get(LIST, {"page": "99"})
        assert len(names(response)) == 6
        response = client.get(LIST, {"page": "not-a-number"})
        assert len(names(response)) == 6


@pytest.mark.django_db
class TestSharingAndPaging:
    def test_pages_keep_the_filters(self, client, taxonomy):
        for number in range(30):
            OrganizationFactory(name=f"Venture {number:02d}", kind="venture")
        OrganizationFactory(name="Some Pharma", kind="pharma")
        response = client.get(LIST, {"kind": "venture"})
        assert result_count(response) == "30 organizations"
        assert len(names(response)) == 25
        assert "Page 1 of 2" in response.text
        assert 'href="?kind=venture&amp;page=2"' in response.text
        second = client.get(LIST, {"kind": "venture", "page": 2})
        assert names(second) == [f"Venture {number:02d}" for number in range(25, 30)]

    def test_each_active_filter_can_be_removed_alone(self, client, directory):
        response = client.get(
            LIST, {"kind": "venture", "focus": ["ipsc-cell-therapy", "neurology"], "page": 1}
        )
        chips = {
            unescape(label): unescape(href)
            for href, label in re.findall(
                r'<a class="chip" href="([^"]+)">([^<]+)<span', response.text
            )
        }
        assert chips == {
            "Bio venture": "?focus=ipsc-cell-therapy&focus=neurology",
            "iPSC-derived cell therapy": "?kind=venture&focus=neurology",
            "Neurology and CNS": "?kind=venture&focus=ipsc-cell-therapy",
        }

    def test_modalities_are_open_to_tick_and_other_groups_open_when_used(self, client, directory):
        groups = re.findall(
            r'<details class="focus-group"( open)?>\s*<summary>([^<]+)</summary>',
            client.get(LIST, {"focus": "neurology"}).text,
        )
        assert groups == [(" open", "Modality"), (" open", "Therapeutic area"), ("", "Service")]


@pytest.mark.django_db
class TestLanguages:
    def test_korean(self, client, directory):
        response = client.get("/ko/organizations/", {"kind": "venture", "country": "KR"})
        assert response.status_code == 200
        assert '<html lang="ko">' in response.text
        assert "<h1>기관 목록</h1>" in response.text
        assert result_count(response) == "기관 3곳"
        assert '<option value="venture" selected>바이오벤처</option>' in response.text
        assert '<option value="KR" selected>대한민국</option>' in response.text
        assert "iPSC 유래 세포치료제" in response.text  # taxonomy in Korean
        assert '<span class="native-name" lang="ko">입셀</span>' in response.text

    def test_japanese(self, client, directory):
        response = client.get("/ja/organizations/", {"focus": "ipsc-cell-therapy"})
        assert '<html lang="ja">' in response.text
        assert "<h1>企業・機関一覧</h1>" in response.text
        assert result_count(response) == "3件"
        assert "iPS細胞由来細胞治療" in response.text
        assert "韓国" in response.text and "日本" in response.text  # country names
        assert '<span class="native-name" lang="ja">アステラス製薬</span>' in response.text

    def test_text_search_in_japanese_finds_the_same(self, client, directory):
        assert names(client.get("/ja/organizations/", {"q": "シミック"})) == ["CMIC Group"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [50, 2000])
class TestQueryCounts:
    """The list costs the same number of queries at 50 and at 2,000 organizations."""

    def test_unfiltered(self, client, django_assert_num_queries, taxonomy, size):
        generate_organizations(size)
        # taxonomy (2), countries, count, page, the page's focus areas, seeks and offers
        with django_assert_num_queries(6):
            response = client.get(LIST)
        assert len(names(response)) == 25
        assert result_count(response) == f"{Organization.objects.count()} organizations"

    def test_filtered(self, client, django_assert_num_queries, taxonomy, size):
        generate_organizations(size)
        areas, types = taxonomy["areas"], taxonomy["types"]
        OrganizationFactory(
            name="Narae Bio",
            focus_areas=[areas["ipsc-cell-therapy"], areas["musculoskeletal"]],
            seeks=[types["licensing"]],
        )
        query = {
            "kind": "venture",
            "country": "KR",
            "focus": ["ipsc-cell-therapy", "musculoskeletal"],
            "seeks": "licensing",
            "q": "bio",
        }
        with django_assert_num_queries(6):
            response = client.get(LIST, query)
        assert "Narae Bio" in names(response)

    def test_search_without_results(self, client, django_assert_num_queries, taxonomy, size):
        generate_organizations(size)
        with django_assert_num_queries(4):  # taxonomy (2), countries, count
            response = client.get(LIST, {"q": "nothing like this"})
        assert "No organization matches these filters." in response.text


@pytest.mark.django_db
def test_empty_fields_of_the_submitted_form_are_dropped_from_the_address(client, directory):
    response = client.get(
        LIST + "?q=&kind=venture&country=&stage=&seeks=&offers=&focus=ipsc-cell-therapy"
    )
    assert response.status_code == 302
    assert response.url == LIST + "?kind=venture&focus=ipsc-cell-therapy"
    everything = client.get(LIST + "?q=+&kind=")
    assert everything.url == LIST


@pytest.mark.django_db
def test_the_real_ipsc_ventures(client, taxonomy):
    from django.core.management import call_command

    call_command("loaddata", "organizations", verbosity=0)
    found = names(client.get(LIST, {"kind": "venture", "focus": "ipsc-cell-therapy"}))
    assert {"YiPSCELL", "iPS Bio"} <= set(found)
    pharma_on_ipsc = names(client.get(LIST, {"kind": "pharma", "focus": "ipsc-cell-therapy"}))
    assert "Astellas Pharma" in pharma_on_ipsc
    assert not set(found) & set(pharma_on_ipsc)
