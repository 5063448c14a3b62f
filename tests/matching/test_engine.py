"""The matching engine over plain data: what a business developer would expect of each rule,
and the properties that hold for any directory."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings

from kbio.matching.engine import (
    Capability,
    Exclusion,
    Feedback,
    Mandate,
    Relationship,
    Weights,
)
from kbio.matching.engine.engine import merge_tops
from tests.matching.engine_data import (
    W,
    asset,
    codes,
    directories,
    engine,
    explain,
    interest,
    org,
    score,
    weights_strategy,
)


def adc_pharma(**more):
    fields = {
        "country": "JP",
        "focus_areas": ["adc", "oncology"],
        "interests": [interest(["adc"], ["oncology"], "preclinical", "phase_2")],
        "intents": ["assets"],
    }
    return org("pharma", **{**fields, **more})


def adc_venture(stage="preclinical", **more):
    return org(
        "venture",
        "KR",
        assets=[asset("ADC-1", "adc", ["oncology"], stage)],
        offers=["licensing"],
        intents=["licensees"],
        **more,
    )


def test_a_stated_interest_takes_an_asset_of_its_modality_and_area():
    pharma, venture = adc_pharma(), adc_venture()
    e = engine(pharma, venture)
    found = explain(e, venture, pharma)
    assert found.role == "licensee"
    assert found.score == pytest.approx(100)
    assert codes(found.reasons)[:3] == [
        "they_seek_your_asset",
        "theirs_window_fits",
        "they_take_deal",
    ] or set(codes(found.reasons)) >= {"they_seek_your_asset", "theirs_window_fits"}
    assert sum(line.points for line in found.reasons) == pytest.approx(found.score)


def test_a_broad_area_alone_is_no_fit():
    """'Oncology' shared by an ADC pharma and a CAR-T venture is not a reason to meet."""
    pharma = adc_pharma()
    car_t = org(
        "venture",
        "KR",
        assets=[asset("CAR-1", "immune-cell-therapy", ["oncology"])],
        offers=["licensing"],
    )
    e = engine(pharma, car_t)
    assert score(e, car_t, pharma) == 0
    assert codes(explain(e, car_t, pharma).missing) == ["nothing_in_common"]


def test_an_interest_without_modalities_means_the_companys_own_modalities():
    pharma = org(
        "pharma",
        "JP",
        focus_areas=["adc", "oncology"],
        interests=[interest([], ["oncology"])],
    )
    car_t = org("venture", "KR", assets=[asset("CAR-1", "immune-cell-therapy", ["oncology"])])
    adc = adc_venture()
    e = engine(pharma, car_t, adc)
    assert score(e, car_t, pharma) == 0
    assert score(e, adc, pharma) > 0


def test_the_stage_window_applies_to_an_in_licenser():
    pharma = adc_pharma()
    early, inside, late = (
        adc_venture("discovery"),
        adc_venture("phase_1"),
        adc_venture("phase_3"),
    )
    e = engine(pharma, early, inside, late)
    assert score(e, inside, pharma) > score(e, early, pharma) > 0
    assert score(e, inside, pharma) > score(e, late, pharma)
    missing = codes(explain(e, early, pharma).missing)
    assert "theirs_window_misses" in missing


def test_unknown_earns_nothing_and_is_said():
    """A pharma that states nothing is not a good fit for everyone: it earns no point for
    what it does not say, and the page says what is unknown."""
    silent = org("pharma", "JP", seeks=["licensing"])
    venture = adc_venture()
    e = engine(silent, venture)
    assert score(e, venture, silent) == 0
    vague = org("pharma", "JP", focus_areas=["adc", "oncology"], seeks=["licensing"])
    e = engine(vague, venture)
    found = explain(e, venture, vague)
    stated = adc_pharma()
    assert 0 < found.score < score(engine(stated, venture), venture, stated)
    assert {"their_interest_implied", "theirs_window_unknown"} <= set(codes(found.unknown))
    neutral = {"they_name_no_modality", "they_name_no_area"}
    assert not neutral & set(codes(found.reasons))


def test_a_divested_asset_never_signals_buying_interest():
    """Takeda offers its γδ T-cell platform for a partner to take over: that makes it a
    seller of cell therapy, not a buyer."""
    takeda = org(
        "pharma",
        "JP",
        focus_areas=["small-molecule", "adc", "oncology"],
        interests=[interest(["small-molecule", "adc"], ["oncology"])],
        assets=[asset("γδ T", "immune-cell-therapy", ["oncology"], "phase_1", "divesting")],
        offers=["licensing"],
    )
    nk = org(
        "venture",
        "KR",
        assets=[asset("NK-1", "immune-cell-therapy", ["oncology"])],
        offers=["licensing"],
    )
    e = engine(takeda, nk)
    found = explain(e, nk, takeda)
    assert found.role != "licensee"
    assert score(e, nk, takeda) == 0


def test_an_exit_from_a_modality_removes_the_pair_and_says_when():
    takeda = org(
        "pharma",
        "JP",
        focus_areas=["oncology"],
        interests=[interest([], ["oncology"])],
        exclusions=[Exclusion("immune-cell-therapy", "2025-10-01")],
    )
    car_t = org(
        "venture",
        "KR",
        assets=[asset("CAR-1", "immune-cell-therapy", ["oncology"])],
        offers=["licensing"],
    )
    e = engine(takeda, car_t)
    assert score(e, car_t, takeda) == 0
    blocked = explain(e, car_t, takeda).blocked
    assert blocked.code == "they_left_all"
    assert blocked.params == {"subjects": ["immune-cell-therapy"], "since": "2025-10-01"}


def test_a_competing_platform_is_flagged_not_ranked_as_a_buyer():
    pharma = adc_pharma(
        assets=[asset("DXd", "adc", ["oncology"], "approved", "in_house", platform_class="topo1")]
    )
    venture = org(
        "venture",
        "KR",
        assets=[asset("PINOT", "adc", ["oncology"], platform_class="topo1")],
        offers=["licensing"],
    )
    e = engine(pharma, venture)
    assert score(e, venture, pharma) == 0
    found = explain(e, venture, pharma)
    assert found.blocked.code == "they_compete"
    other = adc_venture()
    e = engine(pharma, venture, other)
    assert score(e, other, pharma) > 0


def test_a_fund_of_funds_is_suggested_funds_not_companies():
    kvic = org("investor", "KR", mandate=Mandate("fund_of_funds", frozenset({"generalist"})))
    fund = org(
        "investor",
        "JP",
        mandate=Mandate("direct", frozenset({"life_sciences"}), frozenset({"KR", "JP"})),
    )
    venture = org("venture", "KR", seeks=["equity-investment"], focus_areas=["adc"])
    e = engine(kvic, fund, venture)
    assert score(e, venture, kvic) == 0
    assert explain(e, venture, kvic).blocked.code == "funds_not_companies_theirs"
    assert score(e, kvic, fund) > 0
    assert explain(e, kvic, fund).role == "fund"
    assert score(e, venture, fund) > 0


def test_a_sector_mandate_that_leaves_out_bio_removes_the_pair():
    fund = org("investor", "JP", mandate=Mandate("direct", frozenset({"ai", "software"})))
    venture = org("venture", "KR", seeks=["equity-investment"], focus_areas=["adc"])
    e = engine(fund, venture)
    assert score(e, venture, fund) == 0
    assert explain(e, venture, fund).blocked.code == "sector_outside_mandate_theirs"
    ai_venture = org(
        "venture", "KR", seeks=["equity-investment"], focus_areas=["ai-drug-discovery"]
    )
    e = engine(fund, ai_venture)
    assert score(e, ai_venture, fund) > 0


def test_an_existing_relationship_is_shown_as_such_never_as_a_new_partner():
    park = org("agency", "JP", offers=["verification-lab-space"])
    tenant = org("venture", "KR", seeks=["verification-lab-space"])
    newcomer = org("venture", "KR", seeks=["verification-lab-space"])
    e = engine(
        park,
        tenant,
        newcomer,
        relationships={(tenant.key, park.key): [Relationship("tenancy", "2024-09-26")]},
    )
    assert score(e, tenant, park) == -1
    assert score(e, park, tenant) == -1
    assert score(e, newcomer, park) > 0
    assert [row for row, _ in e.related(e.row_of[park.key])] == [e.row_of[tenant.key]]
    blocked = explain(e, tenant, park).blocked
    assert blocked.code == "existing_relationship"
    assert blocked.params == {"kinds": ["tenancy"], "since": "2024-09-26"}


def test_services_count_only_for_the_modalities_a_provider_covers():
    cell_venture = org(
        "venture",
        "KR",
        assets=[asset("iPSC-1", "ipsc-cell-therapy", ["musculoskeletal"], "preclinical")],
        seeks=["cdmo-manufacturing"],
    )
    antibody_cdmo = org(
        "cro_cdmo",
        "KR",
        offers=["cdmo-manufacturing"],
        capabilities=[Capability("cmc-manufacturing", frozenset({"antibody", "adc"}))],
    )
    cell_cdmo = org(
        "cro_cdmo",
        "JP",
        offers=["cdmo-manufacturing"],
        capabilities=[Capability("cmc-manufacturing", frozenset({"ipsc-cell-therapy"}))],
    )
    unstated = org(
        "cro_cdmo",
        "JP",
        focus_areas=["cmc-manufacturing"],
        offers=["cdmo-manufacturing"],
    )
    e = engine(cell_venture, antibody_cdmo, cell_cdmo, unstated)
    assert score(e, cell_venture, antibody_cdmo) == 0
    assert score(e, cell_venture, cell_cdmo) > 0
    assert score(e, cell_venture, unstated) == 0
    reasons = explain(e, cell_venture, cell_cdmo).reasons
    assert reasons[0].code == "they_offer_what_you_need"
    assert reasons[0].params["services"] == ["cmc-manufacturing"]


def test_a_pharmas_pipeline_creates_no_service_needs():
    pharma = org(
        "pharma",
        "JP",
        assets=[asset("ASP", "ipsc-cell-therapy", ["ophthalmology"], "phase_1", "in_house")],
    )
    cro = org(
        "cro_cdmo",
        "JP",
        capabilities=[Capability("clinical-operations", all_modalities=True)],
    )
    e = engine(pharma, cro)
    assert score(e, pharma, cro) == 0


def test_what_a_side_came_for_ranks_first():
    """A venture that came for licensees sees a licensee above a service provider that fits
    as well; the provider's row says why it is lower."""
    venture = org(
        "venture",
        "KR",
        assets=[asset("ADC-1", "adc", ["oncology"], "preclinical")],
        offers=["licensing"],
        intents=["licensees"],
    )
    pharma = adc_pharma()
    cro = org(
        "cro_cdmo",
        "JP",
        intents=["clients"],
        capabilities=[
            Capability(s, all_modalities=True)
            for s in ("glp-toxicology", "pharmacology-efficacy", "dmpk-bioanalysis")
        ],
    )
    e = engine(venture, pharma, cro)
    top = [row for row, _ in e.top(e.row_of[venture.key], W)]
    assert top == [e.row_of[pharma.key], e.row_of[cro.key]]
    assert "off_your_intents" in codes(explain(e, venture, cro).missing)
    # Seeking a service says as much as coming for it.
    asking = org(
        "venture",
        "KR",
        assets=[asset("ADC-2", "adc", ["oncology"], "preclinical")],
        seeks=["cro-services"],
        intents=["licensees"],
    )
    e = engine(asking, venture, cro)
    assert "off_your_intents" not in codes(explain(e, asking, cro).missing)
    assert score(e, asking, cro) > score(e, venture, cro)


def test_not_interested_removes_and_outside_focus_lowers_similar_partners():
    venture = adc_venture()
    first, similar = adc_pharma(), adc_pharma()
    base = engine(venture, first, similar)
    before = score(base, venture, similar)
    e = engine(
        venture,
        first,
        similar,
        feedback=Feedback(
            not_interested=frozenset({(venture.key, first.key)}),
            outside_focus=frozenset({(venture.key, first.key)}),
        ),
    )
    assert score(e, venture, first) == -1
    assert e.not_interested(e.row_of[venture.key]) == [e.row_of[first.key]]
    assert 0 < score(e, venture, similar) < before
    missing = explain(e, venture, similar).missing
    assert "lowered_by_your_feedback" in codes(missing)


def test_korea_japan_pairs_score_higher():
    pharma, venture = adc_pharma(), adc_venture()
    us_pharma = adc_pharma(country="US")
    e = engine(pharma, venture, us_pharma)
    assert score(e, venture, pharma) > score(e, venture, us_pharma) > 0
    assert "cross_border" in codes(explain(e, venture, pharma).reasons)
    assert "not_cross_border" in codes(explain(e, venture, us_pharma).missing)


@settings(max_examples=60, deadline=None)
@given(directories(), weights_strategy)
def test_properties_of_any_directory(orgs, weights):
    """For any directory: the score is the same from both sides, the ranking and the
    explanation agree, the reasons' points add up to the score, and nobody is suggested to
    itself."""
    e = engine(*orgs)
    matrix = np.array([e.scores(v, weights) for v in range(len(orgs))])
    for v in range(len(orgs)):
        assert matrix[v, v] == -1
        for c in range(len(orgs)):
            if c == v:
                continue
            assert matrix[v, c] == pytest.approx(matrix[c, v], abs=1e-9)
            found = e.explain(v, c, weights)
            expected = max(0.0, matrix[v, c])
            assert found.score == pytest.approx(expected, abs=1e-6)
            if found.score > 0:
                assert sum(line.points for line in found.reasons) == pytest.approx(found.score)
                assert all(line.points > 0 for line in found.missing)


@settings(max_examples=30, deadline=None)
@given(directories(), weights_strategy)
def test_everyones_top_lists_match_each_ranking(orgs, weights):
    e = engine(*orgs)
    parts = [e.top_for_all(weights, 3, (k, 2)) for k in range(2)]
    merged = merge_tops(parts, 3)
    for v in range(len(orgs)):
        expected = [(round(s, 9), row) for row, s in e.top(v, weights, limit=3)]
        assert [(round(s, 9), row) for s, row in merged[v]] == expected


def test_the_engine_imports_no_django():
    code = (
        "import sys, kbio.matching.engine; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_weights_are_ratios():
    pharma, venture = adc_pharma(), adc_venture("discovery")
    e = engine(pharma, venture)
    doubled = Weights(deal=50, modality=40, therapeutic_area=40, stage=30)
    assert score(e, venture, pharma, doubled) == pytest.approx(score(e, venture, pharma))


def test_a_pharma_buys_from_a_provider_abroad_only_if_it_has_worked_with_its_regulator():
    pharma = org("pharma", "JP", focus_areas=["antibody", "oncology"], intents=["providers"])
    with_pmda = org(
        "cro_cdmo",
        "KR",
        capabilities=[
            Capability("cmc-manufacturing", frozenset({"antibody"}), regulators=frozenset({"pmda"}))
        ],
    )
    without = org(
        "cro_cdmo",
        "KR",
        capabilities=[
            Capability("cmc-manufacturing", frozenset({"antibody"}), regulators=frozenset({"mfds"}))
        ],
    )
    at_home = org(
        "cro_cdmo", "JP", capabilities=[Capability("cmc-manufacturing", frozenset({"antibody"}))]
    )
    e = engine(pharma, with_pmda, without, at_home)
    assert score(e, pharma, with_pmda) > 0
    assert score(e, pharma, without) == 0
    assert score(e, pharma, at_home) > 0
    reasons = explain(e, pharma, with_pmda).reasons
    assert reasons[0].code == "they_offer_what_you_need"
    assert reasons[0].params["portfolio"] == ["antibody"]
