"""The partner score over plain data: reasons, missing pieces, two-sidedness, properties."""

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kbio.lib.scoring import Weights, eligible, score_asset, score_pair
from tests.lib.scoring_data import (
    AREAS,
    DEALS,
    MODALITIES,
    SERVICES,
    TAXONOMY,
    asset,
    org,
    organizations,
)


def codes(reasons):
    return [r.code for r in reasons]


def find(reasons, code):
    found = [r for r in reasons if r.code == code]
    assert found, f"no {code} in {codes(reasons)}"
    return found[0]


DEFAULT_WEIGHTS = Weights()


def score(a, b, weights=DEFAULT_WEIGHTS):
    return score_pair(a, b, TAXONOMY, weights)


IPSC_VENTURE = {
    "kind": "venture",
    "country": "KR",
    "focus": ["ipsc-cell-therapy", "neurology"],
    "seeks": ["equity-investment", "joint-research"],
    "offers": ["licensing"],
}


def test_reasons_are_worded_from_the_viewers_side():
    venture = org(**IPSC_VENTURE)
    pharma = org(
        kind="pharma", country="JP", focus=["ipsc-cell-therapy", "neurology"], seeks=["licensing"]
    )
    seen_by_venture = score(venture, pharma)
    assert find(seen_by_venture.reasons, "seeks_what_you_offer").params == {"deals": ["licensing"]}
    assert find(seen_by_venture.reasons, "shared_modality").params == {
        "areas": ["ipsc-cell-therapy"]
    }
    assert find(seen_by_venture.reasons, "shared_area").params == {"areas": ["neurology"]}
    seen_by_pharma = score(pharma, venture)
    assert find(seen_by_pharma.reasons, "offers_what_you_seek").params == {"deals": ["licensing"]}
    # The pharma offers nothing the venture seeks: the venture's side says so.
    assert find(seen_by_venture.missing, "they_offer_nothing_you_seek").params == {
        "deals": ["equity-investment", "joint-research"]
    }
    assert seen_by_venture.score == pytest.approx(seen_by_pharma.score)


def test_points_of_the_reasons_add_up_to_the_score():
    venture = org(**IPSC_VENTURE, assets=(asset("NPC-01", "ipsc-cell-therapy", ["neurology"]),))
    cro = org(kind="cro_cdmo", country="JP", focus=["glp-toxicology"], offers=["cro-services"])
    match = score(venture, cro)
    assert match.score > 0
    assert sum(r.points for r in match.reasons) == pytest.approx(match.score)


def test_a_stage_window_that_misses_the_lead_asset_says_what_they_look_at():
    window = ["phase_1", "phase_1_2", "phase_2", "phase_2_3", "phase_3", "filed", "approved"]
    pharma = org(kind="pharma", country="JP", focus=["ipsc-cell-therapy"], window=window)
    early = org(**IPSC_VENTURE, assets=(asset("NPC-01", "ipsc-cell-therapy", stage="discovery"),))
    missing = find(score(early, pharma).missing, "theirs_window_misses")
    assert missing.params == {"window": window, "asset": "NPC-01", "stage": "discovery"}
    ready = org(**IPSC_VENTURE, assets=(asset("MIUChon", "ipsc-cell-therapy", stage="phase_1"),))
    fits = find(score(ready, pharma).reasons, "theirs_window_fits")
    assert fits.params == {"window": window, "asset": "MIUChon", "stage": "phase_1", "lead": True}
    # Seen from the pharma, the same fact reads as their asset sitting in its window.
    assert codes(score(pharma, ready).reasons).count("yours_window_fits") == 1
    assert score(ready, pharma).score > score(early, pharma).score


def test_an_asset_one_step_before_the_window_gets_part_of_the_credit():
    window = ["phase_1", "phase_1_2", "phase_2"]
    pharma = org(kind="pharma", country="JP", focus=["ipsc-cell-therapy"], window=window)

    def at(stage):
        return org(**IPSC_VENTURE, assets=(asset("A", "ipsc-cell-therapy", stage=stage),))

    inside, near, far = (
        score(at(s), pharma).score for s in ("phase_1", "ind_cleared", "discovery")
    )
    assert inside > near > far
    assert find(score(at("ind_cleared"), pharma).reasons, "theirs_window_near").params["steps"] == 1


def test_a_preclinical_cell_therapy_needs_glp_toxicology_before_manufacturing_alone():
    venture = org(**IPSC_VENTURE, assets=(asset("NPC-01", "ipsc-cell-therapy", ["neurology"]),))
    glp_cro = org(
        kind="cro_cdmo",
        country="JP",
        focus=["glp-toxicology", "pharmacology-efficacy"],
        offers=["cro-services"],
    )
    cdmo = org(
        kind="cro_cdmo", country="JP", focus=["cmc-manufacturing"], offers=["cdmo-manufacturing"]
    )
    reason = find(score(venture, glp_cro).reasons, "they_offer_what_you_need")
    assert reason.params == {
        "services": ["glp-toxicology", "pharmacology-efficacy"],
        "asset": "NPC-01",
        "stage": "preclinical",
    }
    assert score(venture, glp_cro).score > score(venture, cdmo).score > 0
    # A clinical asset needs clinical operations, which the GLP CRO lacks.
    clinical = org(**IPSC_VENTURE, assets=(asset("NPC-01", "ipsc-cell-therapy", stage="phase_1"),))
    gap = find(score(clinical, glp_cro).missing, "they_lack_what_you_need")
    assert "clinical-operations" in gap.params["services"]
    # The CRO sees the same need as a client for what it offers.
    assert "you_offer_what_they_need" in codes(score(glp_cro, venture).reasons)


def test_a_match_one_side_would_refuse_ranks_below_a_balanced_one():
    venture = org(**IPSC_VENTURE, assets=(asset("NPC-01", "ipsc-cell-therapy", ["neurology"]),))
    # Serves the venture fully, but the venture covers few of its many interests.
    broad = org(
        kind="pharma",
        country="JP",
        focus=["ipsc-cell-therapy", "antibody", "adc", "small-molecule", "neurology", "oncology"]
        + ["hematology", "ophthalmology"],
        seeks=["licensing"],
        offers=["equity-investment", "joint-research"],
    )
    balanced = org(
        kind="pharma",
        country="JP",
        focus=["ipsc-cell-therapy", "neurology"],
        seeks=["licensing"],
        offers=["joint-research"],
    )
    lopsided = score(venture, broad)
    even = score(venture, balanced)
    assert lopsided.forward > lopsided.backward
    assert even.score > lopsided.score
    assert "their_modality_elsewhere" in codes(lopsided.missing)


def test_korea_japan_pairs_score_the_configured_bonus_more():
    venture = org(**IPSC_VENTURE)
    japanese = org(kind="pharma", country="JP", focus=["ipsc-cell-therapy"], seeks=["licensing"])
    korean = replace(japanese, country="KR", key=japanese.key + 1)
    cross, home = score(venture, japanese), score(venture, korean)
    assert cross.score == pytest.approx(home.score * 1.15)
    assert "cross_border" in codes(cross.reasons)
    assert "not_cross_border" in codes(home.missing)
    no_bonus = Weights(cross_border_bonus=0)
    assert score(venture, japanese, no_bonus).score == pytest.approx(
        score(venture, korean, no_bonus).score
    )


def test_the_same_kind_is_left_out_unless_the_profile_allows_it():
    a, b = org(**IPSC_VENTURE), org(**IPSC_VENTURE)
    assert not eligible(a, b, Weights())
    assert eligible(a, b, Weights(include_same_kind=True))
    assert not eligible(a, a, Weights(include_same_kind=True))


def test_one_fitting_asset_lifts_the_pair_and_is_named():
    adc = asset("PINOT-ADC", "adc", ["oncology"], stage="not_applicable")
    glaucoma = asset("NTX-101", "small-molecule", ["ophthalmology"])
    venture = org(
        kind="venture",
        country="KR",
        focus=["adc", "small-molecule", "oncology", "ophthalmology"],
        offers=["licensing"],
        assets=(adc, glaucoma),
    )
    adc_pharma = org(kind="pharma", country="JP", focus=["adc", "oncology"], seeks=["licensing"])
    match = score(venture, adc_pharma)
    organization_level = score(replace(venture, assets=()), adc_pharma)
    assert match.via_asset == ("yours", "PINOT-ADC")
    assert match.score > organization_level.score
    assert match.asset_scores[0][:2] == ("yours", "PINOT-ADC")
    assert "NTX-101" not in [name for _, name, _ in match.asset_scores]  # no shared science
    alone = score_asset(venture, adc, adc_pharma, TAXONOMY)
    assert alone.score == pytest.approx(match.score)
    assert score_asset(venture, glaucoma, adc_pharma, TAXONOMY).score == 0


def test_a_narrower_area_counts_under_its_broader_one():
    venture = org(kind="venture", focus=["tumor-microenvironment"], offers=["licensing"])
    pharma = org(kind="pharma", country="JP", focus=["oncology"], seeks=["licensing"])
    reason = find(score(venture, pharma).reasons, "related_focus")
    assert reason.params == {"yours": "tumor-microenvironment", "theirs": "oncology"}
    unrelated = org(kind="pharma", country="JP", focus=["neurology"], seeks=["licensing"])
    assert score(venture, pharma).score > score(venture, unrelated).score


def test_an_unstated_focus_scores_between_a_shared_and_a_different_one():
    venture = org(**IPSC_VENTURE)

    def pharma(focus):
        return org(
            kind="pharma", country="JP", focus=focus, seeks=["licensing"], offers=["joint-research"]
        )

    shared = score(venture, pharma(["ipsc-cell-therapy", "neurology"])).score
    unstated = score(venture, pharma([])).score
    different = score(venture, pharma(["adc", "oncology"])).score
    assert shared > unstated > different > 0
    assert "they_name_no_modality" in codes(score(venture, pharma([])).missing)


def test_nothing_in_common_scores_zero_and_says_why():
    venture = org(**IPSC_VENTURE)
    pharma = org(kind="pharma", country="JP", focus=["adc", "oncology"], seeks=["m-and-a"])
    match = score(venture, pharma)
    assert match.score == 0
    assert match.reasons == ()
    assert match.missing[0].code == "nothing_in_common"


def test_an_agency_matches_on_what_it_offers_and_an_empty_profile_on_nothing():
    agency = org(kind="agency", country="KR", offers=["grants-funding"])
    venture = org(**dict(IPSC_VENTURE, seeks=["grants-funding"]))
    match = score(agency, venture)
    assert match.score > 0
    assert find(match.reasons, "seeks_what_you_offer").params == {"deals": ["grants-funding"]}
    assert "you_name_no_modality" in codes(match.missing)
    silent = org(kind="agency", country="JP")
    assert score(silent, venture).score == 0
    assert score(silent, venture).missing[0].code == "nothing_in_common"


# -- properties ---------------------------------------------------------------------------------

weights_strategy = st.builds(
    Weights,
    deal=st.integers(0, 40),
    modality=st.integers(0, 40),
    therapeutic_area=st.integers(0, 40),
    stage=st.integers(0, 40),
    services=st.integers(0, 40),
    cross_border_bonus=st.integers(0, 30),
)


@settings(max_examples=300)
@given(organizations(key=1), organizations(key=2), weights_strategy)
def test_the_combined_score_is_the_same_from_either_side(a, b, weights):
    assert score(a, b, weights).score == pytest.approx(score(b, a, weights).score, abs=1e-9)


@settings(max_examples=300)
@given(
    organizations(key=1),
    organizations(key=2),
    st.sampled_from(MODALITIES + AREAS + SERVICES),
    weights_strategy,
)
def test_adding_a_shared_focus_area_never_lowers_the_score(a, b, area, weights):
    before = score(a, b, weights).score
    a2 = replace(a, focus_areas=a.focus_areas | {area})
    b2 = replace(b, focus_areas=b.focus_areas | {area})
    assert score(a2, b2, weights).score >= before - 1e-9


@settings(max_examples=300)
@given(organizations(key=1), organizations(key=2), weights_strategy)
def test_points_add_up_and_a_zero_says_why(a, b, weights):
    match = score(a, b, weights)
    assert 0 <= match.score <= 100 + 1e-9
    if match.score > 0:
        assert sum(r.points for r in match.reasons) == pytest.approx(match.score)
    else:
        assert match.missing[0].code in ("nothing_in_common", "nothing_for_you", "nothing_for_them")


def _half(pool, first):
    middle = len(pool) // 2
    return pool[:middle] if first else pool[middle:]


# Oncology and the areas under it stay in one half, so the halves share no related area.
_ONCOLOGY = ["immuno-oncology", "oncology", "tumor-microenvironment"]
_OTHER_AREAS = [a for a in AREAS if a not in _ONCOLOGY]


@st.composite
def strangers(draw):
    """Two organizations whose science and wants come from disjoint halves of every
    vocabulary, and neither of which provides services."""
    sides = []
    for first in (True, False):
        areas = _ONCOLOGY + _half(_OTHER_AREAS, True) if first else _half(_OTHER_AREAS, False)
        deals = [d for d in _half(DEALS, first) if d not in ("cro-services", "cdmo-manufacturing")]
        sides.append(
            org(
                kind="venture" if first else "pharma",
                country=draw(st.sampled_from(["KR", "JP"])),
                focus=draw(st.frozensets(st.sampled_from(_half(MODALITIES, first) + areas))),
                seeks=draw(st.frozensets(st.sampled_from(deals))),
                offers=draw(st.frozensets(st.sampled_from(deals))),
                lead_stage=draw(st.sampled_from(["preclinical", "phase_2", "not_applicable"])),
            )
        )
    a, b = sides
    # What one seeks the other must not offer or also seek: the halves differ, so neither can.
    assume(not (a.seeks & (b.offers | b.seeks)) and not (b.seeks & (a.offers | a.seeks)))
    return a, b


@settings(max_examples=200)
@given(strangers())
def test_a_pair_with_nothing_in_common_scores_zero_and_says_why(pair):
    a, b = pair
    match = score(a, b)
    assert match.score == 0
    assert match.reasons == ()
    assert match.missing[0].code in ("nothing_in_common", "nothing_for_you", "nothing_for_them")
