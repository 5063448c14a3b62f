"""The suggestions a Korea–Japan BD expert would sign, measured on the judged set
(bench/fidelity.py): a floor on each part, so that a change that makes them worse fails."""

import importlib.util
import sys
from pathlib import Path

import pytest

from kbio.matching.index import load_index
from kbio.matching.models import MatchingProfile

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_fidelity", ROOT / "bench" / "fidelity.py")
fidelity = sys.modules["bench_fidelity"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fidelity)

# Floors: precision@5 over the judged suggestions; the held-out part is the one that counts.
PRECISION_FLOOR = {"tune": 0.85, "held-out": 0.8}
# Suggestions in a top 5 that nobody judged, at most (the judged set must keep up).
UNJUDGED_SHARE_CEILING = 0.1


@pytest.fixture(scope="module")
def judgements():
    return fidelity.load_judgements()


def test_the_judged_set_is_as_documented(judgements):
    assert len(judgements) >= 80
    viewers = {j.viewer for j in judgements}
    assert len(viewers) >= 25
    parts = {j.part for j in judgements}
    assert parts == {"tune", "held-out"}
    for judgement in judgements:
        assert judgement.reason.strip() and judgement.checked_on
    # The split was fixed before any result was seen.
    assert fidelity.part_of("ips-bio") == "held-out"
    assert fidelity.part_of("pinotbio") == "tune"


@pytest.mark.usefixtures("real_directory")
def test_precision_at_5_stays_above_its_floor_on_both_parts(judgements):
    reports = fidelity.evaluate(load_index(), MatchingProfile.objects.weights(), judgements)
    for part, floor in PRECISION_FLOOR.items():
        report = reports[part]
        shown = report.judged_in_top5 + report.unjudged_in_top5
        assert report.judged_in_top5 >= 10, part
        assert report.precision >= floor, (part, report.precision, report.lists)
        assert report.unjudged_in_top5 <= UNJUDGED_SHARE_CEILING * shown, (part, report.lists)
