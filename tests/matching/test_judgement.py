"""What a business developer would sign, on the real organizations and criteria of the
Korea–Japan programme (fixtures/organizations.json, fixtures/partnering.json).

The viewers here are from the tuning part of the judged set (bench/fidelity.py); the held-out
part is measured by `test_fidelity.py` and never written into a rule."""

import pytest

from kbio.directory.models import InvestorMandate, Relationship
from kbio.matching.index import load_index
from kbio.matching.models import MatchingProfile
from kbio.matching.suggestions import explain, left_out, ranked

pytestmark = pytest.mark.usefixtures("real_directory")

UNKNOWN_AS_REASON = {
    "they_name_no_modality",
    "you_name_no_modality",
    "they_name_no_area",
    "you_name_no_area",
}


@pytest.fixture
def index():
    return load_index()


@pytest.fixture
def weights():
    return MatchingProfile.objects.weights()


def suggested(index, weights, slug, kind="", minimum=None):
    found = ranked(
        index, index.by_slug[slug], weights, candidates=index.candidates(kind=kind), minimum=minimum
    )
    return [index.info[org.key].slug for org, _ in found]


def row(index, weights, slug, partner):
    return explain(index, index.by_slug[slug], index.by_slug[partner], weights)


def every_suggestion(index, weights):
    for viewer in index.orgs:
        for candidate, _score in ranked(index, viewer, weights, minimum=0):
            yield viewer, candidate, explain(index, viewer, candidate, weights)


def pair(index, viewer, candidate) -> str:
    return f"{index.info[viewer.key].slug} × {index.info[candidate.key].slug}"


def test_no_suggestion_of_any_organization_earns_points_for_what_is_unknown(index, weights):
    for viewer, candidate, found in every_suggestion(index, weights):
        assert not UNKNOWN_AS_REASON & {line.code for line in found.reasons}
        assert found.reasons, pair(index, viewer, candidate)
        assert sum(line.points for line in found.reasons) == found.score
        if found.score < 100:
            # What keeps it lower is said: a gap or an unknown.
            assert found.missing or found.unknown, pair(index, viewer, candidate)


def test_a_divested_asset_never_makes_its_owner_a_buyer(index, weights):
    """Takeda offers its γδ T-cell platform for someone to take over: no cell-therapy venture
    sees Takeda as a licensee, and the page says Takeda left cell therapy."""
    for venture in ("ka-biotherapeutics", "ingenium-therapeutics", "cefobio"):
        assert "takeda" not in suggested(index, weights, venture, minimum=0)
    ruled = left_out(index, index.by_slug["ka-biotherapeutics"], weights)
    takeda = next(s for s in ruled if s.org.slug == "takeda")
    assert takeda.blocked.text == (
        "They stopped work on immune cell therapy (CAR-T, NK, Treg) (Oct 2025), which is all "
        "you offer"
    )


def test_a_fund_of_funds_is_never_suggested_to_a_company(index, weights):
    funds_of_funds = set(
        InvestorMandate.objects.filter(vehicle="fund_of_funds").values_list(
            "organization__slug", flat=True
        )
    )
    assert funds_of_funds >= {"kvic", "jic"}
    for viewer, candidate, found in every_suggestion(index, weights):
        slugs = {index.info[viewer.key].slug, index.info[candidate.key].slug}
        if slugs & funds_of_funds and {viewer.kind, candidate.kind} != {"investor"}:
            assert found.role not in ("investor", "investee")
    ruled = {s.org.slug: s.blocked.text for s in left_out(index, index.by_slug["cefobio"], weights)}
    assert ruled["kvic"] == "They invest in funds, not in companies"


def test_a_fund_whose_sectors_leave_bio_out_is_not_suggested_to_bio_ventures(index, weights):
    for venture in ("cefobio", "sml-biopharm"):
        assert "korea-japan-joint-fund" not in suggested(index, weights, venture, minimum=0)
    ruled = {s.org.slug: s.blocked.text for s in left_out(index, index.by_slug["cefobio"], weights)}
    assert ruled["korea-japan-joint-fund"] == (
        "They invest in AI; blockchain; e-commerce; software and SaaS, which leaves you out"
    )


def test_existing_relationships_are_never_suggested_as_new_partners(index, weights):
    live = Relationship.objects.filter(until__isnull=True).values_list(
        "organization__slug", "partner__slug"
    )
    assert len(live) > 20
    for a, b in live:
        if a in index.by_slug and b in index.by_slug:
            assert b not in suggested(index, weights, a, minimum=0)
            assert a not in suggested(index, weights, b, minimum=0)


def test_a_zone_company_sees_its_landlord_as_an_existing_relationship(client):
    html = client.get("/organizations/cefobio/matches/").content.decode()
    related = html.split('id="related-title"')[1].split("</section>")[0]
    assert "Shonan Health Innovation Park" in related
    assert "since Sep 2024: Tenancy" in related


def test_a_competing_platform_is_not_a_buyer(index, weights):
    """Daiichi Sankyo's DXd uses a topoisomerase-I payload, as Pinotbio's ADCs do."""
    assert "daiichi-sankyo" not in suggested(index, weights, "pinotbio", minimum=0)
    ruled = {s.org.slug: s for s in left_out(index, index.by_slug["pinotbio"], weights)}
    assert ruled["daiichi-sankyo"].blocked.code == "they_compete"


def test_an_adc_and_small_molecule_venture_sees_the_pharma_that_name_its_modalities(index, weights):
    top = suggested(index, weights, "pinotbio", "pharma")
    assert top[0] == "takeda"
    assert "santen" in top[:5]  # NTX-101 for glaucoma
    found = row(index, weights, "pinotbio", "takeda")
    assert found.role == "licensee"
    assert found.score == 100
    texts = [line.text for line in found.reasons]
    assert texts[0].startswith("They look for antibody–drug conjugates (ADC)")
    assert "Their stage window (up to phase 3) covers your asset NTX-301 (phase 1/2)" in texts


def test_a_pharma_sees_the_ventures_that_fit_what_it_looks_for(index, weights):
    assert set(suggested(index, weights, "takeda", "venture")[:2]) == {"pinotbio", "galux"}
    ono = suggested(index, weights, "ono-pharmaceutical", "venture")
    assert {"ingenium-therapeutics", "immunis-bio", "galux"} <= set(ono[:5])


def test_a_cell_therapy_venture_meets_the_cdmo_that_makes_its_modality(index, weights):
    providers = suggested(index, weights, "cefobio", "cro_cdmo", minimum=0)
    assert "s-racmo" in providers
    assert (
        providers.index("s-racmo") < providers.index("samsung-biologics")
        if ("samsung-biologics" in providers)
        else True
    )
    assert "samsung-biologics" not in suggested(index, weights, "yipscell", minimum=0)
    texts = [line.text for line in row(index, weights, "yipscell", "s-racmo").reasons]
    assert any("CMC, process development and GMP manufacturing" in text for text in texts)


def test_a_clinical_cro_sees_the_venture_whose_trial_it_can_run_first(index, weights):
    assert suggested(index, weights, "cmic")[0] == "cefobio"
    texts = [line.text for line in row(index, weights, "cmic", "cefobio").reasons]
    assert texts[0].startswith("You offer what their asset CF-M801 (phase 2) needs next:")


def test_an_antibody_cdmo_sees_the_pharma_working_on_its_modalities(index, weights):
    top = suggested(index, weights, "samsung-biologics")
    assert top[0] == "daiichi-sankyo"
    assert "kyowa-kirin" in suggested(index, weights, "samsung-biologics", minimum=0)


def test_organizations_that_state_nothing_get_no_suggestions_and_a_page_that_says_why(
    index, weights
):
    for slug in ("pmda", "jpma", "t-cube-it"):
        assert suggested(index, weights, slug, minimum=0) == []
