"""The directory's text search across scripts: other names, descriptions in three languages,
focus areas by their Korean and Japanese names, full-width and hyphenated input, and hostile
queries that must cost no more than a short one."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kbio.directory.filters import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, search_words
from kbio.directory.models import Organization
from tests.directory.conftest import generate_organizations
from tests.directory.test_organization_list import names, result_count
from tests.factories import AssetFactory, OrganizationFactory

LIST = reverse("directory:organization_list")


class TestSearchWords:
    """What a search looks for, before any database is involved."""

    def test_full_width_and_half_width_forms_become_the_usual_ones(self):
        assert search_words("ＡＳＰ７３１７").words == ["ASP7317"]
        assert search_words("ｱｽﾃﾗｽ").words == ["アステラス"]

    def test_hyphens_dashes_and_middle_dots_separate_words(self):
        assert search_words("ASP-7317").words == ["ASP", "7317"]
        assert search_words("ASP‐7317 ASP－7317").words == ["ASP", "7317"]
        assert search_words("ネモト・サイエンス").words == ["ネモト", "サイエンス"]
        assert search_words("--- ・").words == []

    def test_repeats_and_words_inside_other_words_are_searched_once(self):
        assert search_words("Cell cells CELL cell").words == ["cells"]
        assert search_words("a a a a a a a a a a").words == ["a"]
        assert not search_words("a " * 1500).left_out

    def test_at_most_a_few_distinct_words_are_kept_in_order(self):
        given = search_words("one two three four five six seven eight")
        assert given.words == ["one", "two", "three", "four", "five", "six"][:SEARCH_MAX_WORDS]
        assert given.left_out
        assert not search_words("one two").left_out

    def test_a_null_character_is_dropped(self):
        assert search_words("ASP\x007317").words == ["ASP7317"]
        assert search_words("\x00").words == []


@pytest.fixture
def real_directory(taxonomy):
    call_command("loaddata", "organizations", verbosity=0)


@pytest.mark.django_db
class TestAcrossScripts:
    """The real directory, found by what Korean and Japanese visitors type."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("아스텔라스", "Astellas Pharma"),  # Hangul alias
            ("アステラス", "Astellas Pharma"),  # Katakana (the native name)
            ("ｱｽﾃﾗｽ", "Astellas Pharma"),  # half-width Katakana
            ("タケダ", "Takeda Pharmaceutical"),
            ("다케다", "Takeda Pharmaceutical"),
            ("타케다", "Takeda Pharmaceutical"),
            ("サムスンバイオロジクス", "Samsung Biologics"),
            ("삼바", "Samsung Biologics"),  # abbreviation
            ("イプセル", "YiPSCELL"),
            ("田辺三菱", "Tanabe Pharma"),  # the former name in Japanese
            ("Mitsubishi Tanabe", "Tanabe Pharma"),  # the former name
            ("ネモトサイエンス", "Nemoto Science"),  # the native name has a middle dot
            ("ネモト・サイエンス", "Nemoto Science"),
            ("アクセリード", "Axcelead Drug Discovery Partners"),  # no native name
        ],
    )
    def test_names_in_other_scripts(self, client, real_directory, text, expected):
        assert expected in names(client.get(LIST, {"q": text}))

    @pytest.mark.parametrize(
        "text", ["ＡＳＰ７３１７", "ASP7317", "asp 7317", "ASP-7317", "ASP‐7317"]
    )
    def test_an_asset_code_in_any_width_and_with_a_hyphen_or_space(
        self, client, real_directory, text
    ):
        assert names(client.get(LIST, {"q": text})) == ["Astellas Pharma"]

    @pytest.mark.parametrize("text", ["세포치료", "細胞治療"])
    def test_cell_therapy_in_korean_and_japanese(self, client, real_directory, text):
        found = set(names(client.get(LIST, {"q": text})))
        assert {"YiPSCELL", "CEFObio", "iPS Bio", "Astellas Pharma"} <= found
        assert "CMIC Group" not in found

    def test_descriptions_in_korean_and_japanese(self, client, real_directory):
        # Words only the Korean and the Japanese descriptions of CEFObio contain.
        assert "CEFObio" in names(client.get(LIST, {"q": "골모세포"}))
        assert "CEFObio" in names(client.get(LIST, {"q": "骨芽細胞"}))


@pytest.mark.django_db
class TestFocusAreaNames:
    """The taxonomy's Korean and Japanese names find organizations whose texts never say so
    (the six organizations here have English descriptions only)."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("세포치료", ["Astellas Pharma", "CEFObio", "iPS Bio", "YiPSCELL"]),
            ("細胞治療", ["Astellas Pharma", "CEFObio", "iPS Bio", "YiPSCELL"]),
            ("iPS細胞", ["Astellas Pharma", "iPS Bio", "YiPSCELL"]),
            ("안과", ["Astellas Pharma"]),
            ("毒性", ["CMIC Group"]),
            ("세포치료 신경계", ["iPS Bio"]),  # every word, each through its own area
        ],
    )
    def test_found_by_a_focus_area_name(self, client, directory, text, expected):
        assert names(client.get(LIST, {"q": text})) == expected

    def test_the_other_names_field(self, client, directory):
        directory.takeda.aliases = "タケダ\n다케다"
        directory.takeda.save()
        assert names(client.get(LIST, {"q": "다케다"})) == ["Takeda Pharmaceutical"]
        assert names(client.get(LIST, {"q": "タケダ"})) == ["Takeda Pharmaceutical"]


@pytest.mark.django_db
class TestHostileQueries:
    def test_a_null_character_is_ignored(self, client, directory):
        response = client.get(LIST, {"q": "\x00"})
        assert response.status_code == 200
        assert result_count(response) == "6 organizations"
        assert "Some filters could not be understood" not in response.text
        assert "\x00" not in response.text
        assert names(client.get(LIST + "?q=MIU%00Chon")) == ["YiPSCELL"]

    def test_a_long_query_is_refused_with_a_message_and_the_other_filters_apply(
        self, client, directory
    ):
        response = client.get(LIST, {"q": "a " * 1500, "country": "JP"})
        assert response.status_code == 200
        assert "Some filters could not be understood" in response.text
        assert f"Ensure this value has at most {SEARCH_MAX_LENGTH} characters" in response.text
        assert names(response) == ["Astellas Pharma", "CMIC Group", "Takeda Pharmaceutical"]
        assert f'maxlength="{SEARCH_MAX_LENGTH}"' in response.text

    def test_many_words_cost_what_six_cost_and_the_page_says_which_were_searched(
        self, client, directory
    ):
        # Thirty distinct words, none inside another.
        words = [first + second for first in "abc" for second in "abcdefghij"]
        many = " ".join(words)
        assert len(many) <= SEARCH_MAX_LENGTH
        six = " ".join(words[:SEARCH_MAX_WORDS])
        sizes = {}
        for text in (six, many):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(LIST, {"q": text})
            assert response.status_code == 200
            sizes[text] = sum(len(query["sql"]) for query in queries.captured_queries)
        assert sizes[many] == sizes[six]
        chip = re.search(r'<a class="chip"[^>]*>([^<]+)<', response.text).group(1)
        assert chip == f"Search: {six} (only the first {SEARCH_MAX_WORDS} words are searched)"

    def test_a_repeated_word_is_searched_once(self, client, directory):
        with CaptureQueriesContext(connection) as once:
            client.get(LIST, {"q": "bio"})
        with CaptureQueriesContext(connection) as repeated:
            response = client.get(LIST, {"q": " ".join(["bio", "BIO", "Bio"] * 8)})
        assert [q["sql"] for q in repeated.captured_queries] == [
            q["sql"] for q in once.captured_queries
        ]
        assert names(response) == names(client.get(LIST, {"q": "bio"}))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [50, 500])
def test_a_cross_script_search_costs_the_same_queries_at_two_sizes(
    client, django_assert_num_queries, taxonomy, size
):
    generate_organizations(size)
    areas = taxonomy["areas"]
    quokka = OrganizationFactory(name="Quokka Regen", focus_areas=[areas["ipsc-cell-therapy"]])
    AssetFactory(organization=quokka, name="NR-101")
    # taxonomy (2), countries, count, page, the page's focus areas, seeks and offers
    with django_assert_num_queries(6):
        response = client.get(LIST, {"q": "細胞治療 세포치료 ＮＲ－１０１ regen"})
    assert "Quokka Regen" in names(response)
    with django_assert_num_queries(6):
        response = client.get(LIST, {"q": "細胞治療 Quokka"})
    assert names(response) == ["Quokka Regen"]


@pytest.mark.django_db
def test_every_organization_has_a_name_in_the_other_language(real_directory):
    """Japanese organizations can be found in Hangul, Korean ones in Japanese script (companies
    in Katakana)."""

    def hangul(text):
        return any("\uac00" <= ch <= "\ud7a3" for ch in text)

    def katakana(text):
        return any("\u30a0" <= ch <= "\u30ff" for ch in text)

    def japanese(text):
        return katakana(text) or any("\u4e00" <= ch <= "\u9fff" for ch in text)

    organizations = list(Organization.objects.all())
    assert len(organizations) == 60
    for org in organizations:
        aliases = org.aliases.splitlines()
        assert aliases, org.slug
        assert all(line.strip() == line and line for line in aliases), org.slug
        assert len(set(aliases)) == len(aliases), org.slug
        if org.country.code == "JP":
            assert any(hangul(alias) for alias in aliases), org.slug
        if org.country.code == "KR":
            assert any(japanese(alias) for alias in aliases), org.slug
            if org.kind in ("venture", "pharma", "cro_cdmo"):
                assert any(katakana(alias) for alias in aliases), org.slug
