"""Expectations a business developer would sign, on the real organizations of the
Korea–Japan programme (fixtures/organizations.json)."""

import pytest

from kbio.directory.models import Organization
from kbio.matching.engine import Weights
from kbio.matching.index import load_index
from kbio.matching.models import MatchingProfile
from kbio.matching.suggestions import explain, ranked

pytestmark = pytest.mark.usefixtures("real_directory")


def suggested(slug, kind="", weights=None):
    index = load_index()
    weights = weights or MatchingProfile.objects.weights()
    found = ranked(index, index.by_slug[slug], weights, candidates=index.candidates(kind=kind))
    return [index.info[org.key].slug for org, _ in found]


def row(slug, partner):
    index = load_index()
    return explain(
        index, index.by_slug[slug], index.by_slug[partner], MatchingProfile.objects.weights()
    )


def offering(service):
    return set(
        Organization.objects.filter(kind="cro_cdmo", focus_areas__slug=service).values_list(
            "slug", flat=True
        )
    )


def test_an_ipsc_neural_venture_ranks_the_ipsc_parkinsons_pharma_above_the_adc_pharma():
    pharma = suggested("ips-bio", "pharma")
    assert pharma[0] == "sumitomo-pharma"
    assert pharma.index("sumitomo-pharma") < pharma.index("daiichi-sankyo")
    texts = [line.text for line in row("ips-bio", "sumitomo-pharma").reasons]
    assert "Both work on iPSC-derived cell therapy" in texts


def test_an_adc_venture_sees_the_adc_pharma_first_among_pharma():
    assert suggested("pinotbio", "pharma")[0] == "daiichi-sankyo"
    match = row("pinotbio", "daiichi-sankyo")
    assert match.via_asset == ("yours", "PINOT-ADC platform")
    assert "Both work on antibody–drug conjugates (ADC)" in [line.text for line in match.reasons]


@pytest.mark.parametrize("venture", ["ips-bio", "markherz", "genecraft"])
def test_a_preclinical_cell_or_gene_therapy_venture_sees_glp_toxicology_cros_first(venture):
    cros = suggested(venture, "cro_cdmo")
    glp = offering("glp-toxicology")
    assert cros[0] in glp
    assert cros.index("samsung-biologics") > max(cros.index(slug) for slug in glp)
    reasons = " ".join(line.text for line in row(venture, cros[0]).reasons)
    assert "(preclinical) needs next:" in reasons
    assert "GLP toxicology and safety" in reasons


@pytest.mark.parametrize("venture", ["ips-bio", "yipscell"])
def test_takeda_which_left_cell_therapy_is_not_top_for_an_ipsc_venture(venture):
    pharma = suggested(venture, "pharma")
    assert set(pharma[:2]) == {"sumitomo-pharma", "astellas"}
    if "takeda" in pharma:
        assert pharma.index("takeda") > 2


def test_an_early_stage_fund_suits_a_preclinical_venture_not_a_phase_2_one():
    assert suggested("ips-bio", "investor")[0] == "korea-japan-joint-fund"
    fits = [line.text for line in row("ips-bio", "korea-japan-joint-fund").reasons]
    assert (
        "Their stage window (up to preclinical) covers your lead asset "
        "iPSC-derived neural progenitor cells (preclinical)" in fits
    )
    assert suggested("cefobio", "investor")[-1] == "korea-japan-joint-fund"
    gaps = [line.text for line in row("cefobio", "korea-japan-joint-fund").missing]
    assert "They look at up to preclinical; your lead asset CF-M801 is at the phase 2 stage" in gaps


@pytest.mark.parametrize(
    ("pharma", "venture"),
    [("daiichi-sankyo", "pinotbio"), ("sumitomo-pharma", "ips-bio"), ("astellas", "edgene")],
)
def test_a_pharma_sees_the_venture_built_on_its_own_science_first(pharma, venture):
    assert suggested(pharma, "venture")[0] == venture


def test_a_gene_editing_ophthalmology_venture_sees_astellas_first_among_pharma():
    assert suggested("edgene", "pharma")[0] == "astellas"


def test_a_cro_sees_ventures_whose_next_milestone_needs_it():
    top = suggested("cmic")[:8]
    index = load_index()
    for slug in top:
        assert index.by_slug[slug].kind == "venture"
        codes = [line.code for line in row("cmic", slug).reasons]
        assert "you_offer_what_they_need" in codes
    # Ventures with no pipeline stated give a CRO nothing to work on.
    assert not {"cuepeak-bio", "re-code", "t-cube-it"} & set(top)


def test_same_kind_pairs_are_left_out_unless_the_profile_allows_them():
    for venture in ("cefobio", "youth-bio-global", "pinotbio"):
        index = load_index()
        kinds = {index.by_slug[slug].kind for slug in suggested(venture)}
        assert "venture" not in kinds
    allowed = Weights(include_same_kind=True)
    # Youth Bio Global and Human Life CORD signed a joint-venture MOU in October 2025.
    assert suggested("youth-bio-global", "venture", allowed)[0] == "human-life-cord"


def test_every_organization_that_states_a_want_or_an_offer_someone_takes_gets_suggestions():
    index = load_index()
    weights = MatchingProfile.objects.weights()
    without = {
        index.info[org.key].slug
        for org in index.population.orgs
        if not ranked(index, org, weights, limit=1)
    }
    # Profiles with nothing stated (PMDA, JPMA, KIT, T-Cube it), and agencies that offer only
    # grants, which no organization in the fixture seeks: their pages say so.
    assert without == {"pmda", "jpma", "kit", "t-cube-it", "mss", "kosme", "kiat"}
