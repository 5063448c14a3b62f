import re
from html import escape

import pytest
from django.urls import reverse
from django.utils.translation import override

from kbio.directory.models import Organization
from tests.directory.conftest import generate_organizations
from tests.factories import ContactFactory, OrganizationFactory, UserFactory


def profile_url(organization) -> str:
    with override("en"):  # requests to /ko/ or /ja/ leave their language active
        return reverse("directory:organization", args=[organization.slug])


def pipeline_rows(response) -> list[list[str]]:
    """The pipeline table as the user reads it: one list of cell texts per asset."""
    table = re.search(r'<table class="pipeline">.*?</table>', response.text, re.S).group(0)
    body = table.split("<tbody>")[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


@pytest.mark.django_db
class TestProfile:
    def test_name_native_name_kind_and_place(self, client, directory):
        response = client.get(profile_url(directory.yipscell))
        assert response.status_code == 200
        assert re.search(
            r'<h1 class="profile-header__name">\s*YiPSCELL\s*'
            r'<span class="native-name" lang="ko">입셀</span>',
            response.text,
        )
        assert "Bio venture" in response.text
        assert "South Korea · Seoul" in response.text
        assert "Founded 2016" in response.text
        assert 'href="https://yipscell.example.org/"' in response.text

    def test_focus_areas_are_tags_that_open_the_filtered_list(self, client, directory):
        response = client.get(profile_url(directory.yipscell))
        assert (
            '<a class="tag tag--modality" href="/organizations/?focus=ipsc-cell-therapy">'
            "iPSC-derived cell therapy</a>"
        ) in response.text
        assert (
            '<a class="tag tag--therapeutic_area" href="/organizations/?focus=musculoskeletal">'
            "Musculoskeletal (bone and cartilage)</a>"
        ) in response.text

    def test_seeks_and_offers(self, client, directory):
        response = client.get(profile_url(directory.yipscell))
        assert 'href="/organizations/?seeks=equity-investment">Equity investment</a>' in (
            response.text
        )
        assert 'href="/organizations/?offers=licensing">Licensing</a>' in response.text

    def test_pipeline_table(self, client, directory):
        response = client.get(profile_url(directory.cefobio))
        assert pipeline_rows(response) == [
            [
                "CF-M801 A public teaser.",
                "MSC and adult stem-cell therapy",
                "Osteonecrosis of the femoral head",
                "Phase 2",
                "Orphan drug (MFDS, Korea) Orphan medicinal product (EMA)",
            ]
        ]

    def test_confidential_details_are_never_shown(self, client, directory):
        client.force_login(UserFactory())
        response = client.get(profile_url(directory.yipscell))
        assert "MIUChon" in response.text
        assert directory.miuchon.confidential_details not in response.text
        assert "embargo" not in response.text

    def test_an_organization_without_assets_says_so(self, client, directory):
        response = client.get(profile_url(directory.cmic))
        assert "No pipeline assets listed." in response.text

    def test_link_to_suggested_partners(self, client, directory):
        response = client.get(profile_url(directory.yipscell))
        assert '<a class="button" href="/organizations/yipscell/matches/">' in response.text

    def test_stages_of_interest_of_a_pharma(self, client, directory):
        directory.takeda.preferred_stages = ["phase_1", "phase_2"]
        directory.takeda.save()
        response = client.get(profile_url(directory.takeda))
        assert "<li>Phase 1</li><li>Phase 2</li>" in response.text

    def test_unknown_and_inactive_organizations_are_not_found(self, client, directory):
        assert client.get("/organizations/no-such-organization/").status_code == 404
        hidden = OrganizationFactory(slug="withdrawn", is_active=False)
        assert client.get(profile_url(hidden)).status_code == 404


@pytest.mark.django_db
class TestContacts:
    def test_visitors_are_asked_to_log_in(self, client, directory):
        ContactFactory(organization=directory.yipscell, email="bd@yipscell.example.org")
        response = client.get(profile_url(directory.yipscell))
        assert "bd@yipscell.example.org" not in response.text
        assert (
            '<a href="/accounts/login/?next=/organizations/yipscell/">'
            "Log in to see the contacts of this organization.</a>"
        ) in response.text

    def test_logged_in_users_see_the_contacts(self, client, directory):
        ContactFactory(
            organization=directory.yipscell,
            name="Ji-hyeon Ju",
            native_name="주지현",
            title="Chief executive",
            email="bd@yipscell.example.org",
        )
        client.force_login(UserFactory())
        response = client.get(profile_url(directory.yipscell))
        assert '<a href="mailto:bd@yipscell.example.org">' in response.text
        assert '<span class="native-name" lang="ko">주지현</span>' in response.text
        assert "Chief executive" in response.text


@pytest.mark.django_db
class TestLanguages:
    def test_korean(self, client, directory):
        response = client.get("/ko" + profile_url(directory.yipscell))
        assert '<html lang="ko">' in response.text
        assert "대한민국 · Seoul" in response.text
        assert "2016년 설립" in response.text
        assert pipeline_rows(response)[0][1:4] == [
            "iPSC 유래 세포치료제",
            "Knee osteoarthritis",
            "임상 1상",
        ]
        assert 'href="/ko/organizations/?focus=ipsc-cell-therapy">iPSC 유래 세포치료제</a>' in (
            response.text
        )

    def test_japanese(self, client, directory):
        response = client.get("/ja" + profile_url(directory.yipscell))
        assert '<html lang="ja">' in response.text
        assert "韓国 · Seoul" in response.text
        assert pipeline_rows(response)[0][1:] == [
            "iPS細胞由来細胞治療",
            "Knee osteoarthritis",
            "第1相",
            "研究者主導臨床研究（韓国、先端再生医療）",
        ]
        assert "おすすめの提携先" in response.text
        assert 'href="/ja/organizations/yipscell/matches/"' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [50, 2000])
class TestQueryCounts:
    """A profile costs the same number of queries at 50 and at 2,000 organizations."""

    @pytest.fixture
    def venture(self, taxonomy, size):
        generate_organizations(size)
        venture = Organization.objects.filter(kind="venture", assets__isnull=False).first()
        for _ in range(3):
            ContactFactory(organization=venture)
        return venture

    def test_visitor(self, client, django_assert_num_queries, venture):
        # organization, focus areas, seeks, offers, assets with their modality, and the ten
        # reads of the partnering criteria (kbio.directory.partnering.criteria_of)
        with django_assert_num_queries(15):
            response = client.get(profile_url(venture))
        assert pipeline_rows(response)

    def test_logged_in(self, client, django_assert_num_queries, venture):
        client.force_login(UserFactory())
        # the same fifteen, the session, the user, the contacts, and the login's own delegate
        # record (none here, so no event look-ups follow)
        with django_assert_num_queries(19):
            response = client.get(profile_url(venture))
        assert response.text.count('<a href="mailto:') == 3


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/ko", "/ja"])
def test_every_real_organization_has_a_profile_in_each_language(client, taxonomy, prefix):
    from django.core.management import call_command

    call_command("loaddata", "organizations", verbosity=0)
    organizations = list(Organization.objects.all())
    assert len(organizations) > 40
    for organization in organizations:
        response = client.get(prefix + profile_url(organization))
        assert response.status_code == 200, organization.slug
        assert escape(organization.name) in response.text
        if organization.native_name:
            assert escape(organization.native_name) in response.text


@pytest.mark.django_db
def test_a_profile_shows_its_partnering_criteria_with_source_and_date(client, taxonomy):
    from django.core.management import call_command

    call_command("loaddata", "organizations", "partnering", verbosity=0)
    html = client.get("/organizations/takeda/").text
    criteria = html.split('id="criteria-heading"')[1].split("</section>")[0]
    assert "Has left or rules out" in criteria
    left = criteria.split("Has left or rules out")[1]
    assert "Immune cell therapy (CAR-T, NK, Treg)" in left and "since Oct 2025" in left
    assert 'rel="noopener noreferrer external">source</a> · checked 6 Dec 2026' in left
    assert "Already works with" in criteria and "Shonan Health Innovation Park" in criteria
    tanabe = client.get("/ja/organizations/mitsubishi-tanabe/").text
    assert "田辺ファーマ" in tanabe
    assert "Mitsubishi Tanabe Pharma" in tanabe  # the former name, said as such
    kvic = client.get("/organizations/kvic/").text
    assert "Invests in funds (fund of funds)" in kvic
