"""The whole-array ranking gives the same numbers as the pair-by-pair score."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbio.lib.ranking import Population, merge_tops
from kbio.lib.scoring import Taxonomy, Weights, eligible, score_asset, score_pair
from tests.lib.scoring_data import TAXONOMY, asset, org, organizations
from tests.lib.test_scoring import weights_strategy


@st.composite
def populations(draw):
    size = draw(st.integers(2, 9))
    return [draw(organizations(key=key)) for key in range(1, size + 1)]


@settings(max_examples=150, deadline=None)
@given(populations(), weights_strategy, st.booleans())
def test_ranking_scores_equal_the_pair_scores(orgs, weights, same_kind):
    weights = Weights(**{**weights.__dict__, "include_same_kind": same_kind})
    population = Population(orgs, TAXONOMY)
    for viewer in orgs:
        scores = population.scores(viewer, weights)
        for row, candidate in enumerate(orgs):
            if eligible(viewer, candidate, weights):
                expected = score_pair(viewer, candidate, TAXONOMY, weights).score
                assert scores[row] == pytest.approx(expected, abs=1e-9)
            else:
                assert scores[row] == -1
        for item in viewer.open_assets:
            by_asset = population.asset_scores(viewer, item, weights)
            for row, candidate in enumerate(orgs):
                if eligible(viewer, candidate, weights):
                    expected = score_asset(viewer, item, candidate, TAXONOMY, weights).score
                    assert by_asset[row] == pytest.approx(expected, abs=1e-9)


def test_top_lists_the_best_first_without_zeros_or_excluded_partners():
    venture = org(
        kind="venture",
        country="KR",
        focus=["ipsc-cell-therapy", "neurology"],
        offers=["licensing"],
        assets=(asset("NPC-01", "ipsc-cell-therapy", ["neurology"]),),
    )
    close = org(
        kind="pharma", country="JP", focus=["ipsc-cell-therapy", "neurology"], seeks=["licensing"]
    )
    partial = org(kind="pharma", country="JP", focus=["neurology", "oncology"], seeks=["licensing"])
    stranger = org(kind="pharma", country="JP", focus=["adc"], seeks=["m-and-a"])
    sibling = org(kind="venture", country="KR", focus=["ipsc-cell-therapy"], seeks=["licensing"])
    population = Population([stranger, sibling, partial, venture, close], TAXONOMY)
    top = population.top(venture, Weights())
    assert [o.key for o, _ in top] == [close.key, partial.key]
    assert top[0][1] > top[1][1] > 0
    assert [o.key for o, _ in population.top(venture, Weights(), limit=1)] == [close.key]
    pharma_only = np.array([o.kind == "pharma" for o in population.orgs])
    high = population.top(venture, Weights(), candidates=pharma_only, minimum=top[0][1])
    assert [o.key for o, _ in high] == [close.key]
    with_siblings = population.top(venture, Weights(include_same_kind=True))
    assert sibling.key in [o.key for o, _ in with_siblings]


def test_a_taxonomy_kind_with_more_than_64_areas_is_refused():
    kinds = {f"modality-{i}": "modality" for i in range(65)}
    with pytest.raises(ValueError, match="More than 64 modalities"):
        Population([org()], Taxonomy(kinds))


@settings(max_examples=60, deadline=None)
@given(populations(), weights_strategy, st.integers(1, 4), st.integers(1, 3))
def test_every_top_list_at_once_equals_each_top_list(orgs, weights, limit, processes):
    population = Population(orgs, TAXONOMY)
    parts = [population.top_for_all(weights, limit, (k, processes)) for k in range(processes)]
    together = merge_tops(parts, limit)
    for row, viewer in enumerate(orgs):
        expected = [
            (round(score, 9), population.row_of[org.key])
            for org, score in population.top(viewer, weights, limit=limit)
        ]
        assert together[row] == expected
