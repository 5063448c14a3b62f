import re
from html import unescape

import pytest

from tests.directory.conftest import generate_organizations
from tests.factories import OrganizationFactory


def entry_points(response) -> dict[str, tuple[str, str]]:
    """{label: (link, count text)} of the four ways into the directory."""
    found = re.findall(
        r'<a class="entry-point" href="([^"]+)">\s*'
        r'<span class="entry-point__label">([^<]+)</span>\s*'
        r'<span class="entry-point__count">([^<]+)</span>',
        response.text,
    )
    return {label: (unescape(href), count) for href, label, count in found}


@pytest.mark.django_db
class TestHome:
    def test_entry_points_with_counts(self, client, directory):
        OrganizationFactory(kind="investor", country="JP", name="Sakura Ventures")
        OrganizationFactory(kind="venture", country="KR", is_active=False)
        response = client.get("/")
        assert response.status_code == 200
        assert entry_points(response) == {
            "Korean bio ventures": ("/organizations/?kind=venture&country=KR", "3 organizations"),
            "Japanese pharma": ("/organizations/?kind=pharma&country=JP", "2 organizations"),
            "CROs and CDMOs": ("/organizations/?kind=cro_cdmo", "1 organization"),
            "Investors": ("/organizations/?kind=investor", "1 organization"),
        }

    def test_entry_points_lead_to_what_they_count(self, client, directory):
        response = client.get("/")
        link, count = entry_points(response)["Japanese pharma"]
        listed = client.get(link)
        assert "2 organizations" in listed.text
        assert "Takeda Pharmaceutical" in listed.text and "CMIC Group" not in listed.text

    def test_ipsc_ventures_are_one_click_away(self, client, directory):
        response = client.get("/")
        link = re.search(
            r'<li><a href="([^"]+)">iPSC-derived cell therapy</a> <span class="count">2</span>',
            response.text,
        )
        listed = client.get(unescape(link.group(1)))
        assert "2 organizations" in listed.text
        assert "YiPSCELL" in listed.text and "iPS Bio" in listed.text
        assert "Astellas" not in listed.text

    def test_counts_by_kind(self, client, directory):
        response = client.get("/")
        assert re.search(
            r'<a href="/organizations/\?kind=venture">Bio venture</a> <span class="count">3',
            response.text,
        )
        assert re.search(
            r'<a href="/organizations/\?kind=academia">Academia / hospital</a> '
            r'<span class="count">0',
            response.text,
        )

    def test_korean_and_japanese(self, client, directory):
        korean = client.get("/ko/")
        assert "<h1>한일 바이오 파트너링</h1>" in korean.text
        assert entry_points(korean)["한국 바이오벤처"] == (
            "/ko/organizations/?kind=venture&country=KR",
            "기관 3곳",
        )
        japanese = client.get("/ja/")
        assert "<h1>日韓バイオ・パートナリング</h1>" in japanese.text
        assert entry_points(japanese)["日本の製薬企業"][1] == "2件"
        assert ">iPS細胞由来細胞治療</a>" in japanese.text

    @pytest.mark.parametrize("size", [50, 2000])
    def test_query_count(self, client, django_assert_num_queries, taxonomy, size):
        generate_organizations(size)
        # counts by kind and country, ventures by modality, events
        with django_assert_num_queries(3):
            response = client.get("/")
        assert sum(int(count.split()[0]) for _, count in entry_points(response).values()) > 0


@pytest.mark.django_db
class TestEvents:
    @pytest.fixture
    def conference(self, db):
        from tests.events.factories import EventFactory, SessionFactory, tokyo

        event = EventFactory(
            slug="kbio-2030", name="K-Bio Venture Partnering Conference", status="open"
        )
        SessionFactory(event=event, starts_at=tokyo(2030, 1, 18, 9, 0))
        SessionFactory(event=event, starts_at=tokyo(2030, 1, 19, 16, 0))
        return event

    def test_visible_events_are_on_the_home_page(self, client, conference):
        from tests.events.factories import EventFactory

        EventFactory(slug="draft", name="Not announced yet", status="draft")
        response = client.get("/")
        section = re.search(r'<section class="home-events".*?</section>', response.text, re.S)
        text = " ".join(re.sub(r"<[^>]+>", " ", section.group(0)).split())
        assert text == (
            "Partnering events K-Bio Venture Partnering Conference Shonan iPark, Fujisawa "
            "18 Jan 2030 – 19 Jan 2030 Open for requests New here? Apply to take part"
        )
        assert '<a class="home-event__name" href="/events/kbio-2030/">' in response.text

    def test_event_dates_in_korean_and_japanese(self, client, conference):
        assert "2030년 1월 18일 – 2030년 1월 19일" in client.get("/ko/").text
        assert "2030年1月18日 – 2030年1月19日" in client.get("/ja/").text

    def test_no_section_without_events(self, client, db):
        assert "home-events" not in client.get("/").text
