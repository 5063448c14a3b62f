"""Would a business developer sign the suggestions? Precision@5 and mutual hit@10 over a
judged set of pairs.

    python bench/fidelity.py [--show]

`bench/fidelity/judged_pairs.csv` holds judgements made by hand, from public facts, by
someone briefed as a Korea–Japan BD expert who never saw the engine's output: for a viewer
and a partner, "would the viewer's BD lead sign up for a new 1:1 meeting?" (yes/no), the
deciding fact and its source. `judged_top5.csv` adds, judged the same way by a second expert
who saw neither scores nor reasons, the top-5 suggestions the first set left unjudged. The
viewers are split once, by a hash of their slug, into a tuning part (which may be looked at
while changing the rules or the weights) and a held-out part (never looked at while tuning);
both are reported.

* precision@5: of each viewer's top 5 suggestions that were judged, the share judged "yes"
  (micro-averaged over the viewers of a part); the number of top-5 suggestions nobody judged
  is printed beside it, and so is the precision that counts them as "no";
* mutual hit@10: of the "yes" pairs, the share where each side is in the other's top 10.

It loads the fixtures into a fresh SQLite database of its own (or uses DATABASE_URL when
set and already loaded), so it needs nothing but the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "fidelity"
# Pairs chosen and judged without the engine (judged_pairs*.csv), then the top-5 suggestions
# those left unjudged, judged blind, without scores or reasons, by another expert
# (judged_top5*.csv); a later round adds a suffix.
JUDGED = tuple(sorted(FOLDER.glob("judged_pairs*.csv")) + sorted(FOLDER.glob("judged_top5*.csv")))
PARTS = ("tune", "held-out")


def part_of(viewer: str) -> str:
    """Fixed before any result was seen: a third of the viewers are held out."""
    return "held-out" if int(hashlib.sha256(viewer.encode()).hexdigest(), 16) % 3 == 0 else "tune"


@dataclass(frozen=True)
class Judgement:
    viewer: str
    partner: str
    yes: bool
    reason: str
    source_url: str
    checked_on: str

    @property
    def part(self) -> str:
        return part_of(self.viewer)


def load_judgements(paths: tuple[Path, ...] = JUDGED) -> list[Judgement]:
    """Every judgement of the files that exist; a pair is judged once across them."""
    found: dict[tuple[str, str], Judgement] = {}
    for path in paths:
        if not path.exists():
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                judgement = Judgement(
                    row["viewer"],
                    row["partner"],
                    row["verdict"].strip().lower() == "yes",
                    row["reason"],
                    row["source_url"],
                    row["checked_on"],
                )
                key = (judgement.viewer, judgement.partner)
                if key in found:
                    raise ValueError(f"{path.name}: {key} is judged twice")
                found[key] = judgement
    return list(found.values())


@dataclass
class PartReport:
    viewers: int = 0
    judged_in_top5: int = 0
    yes_in_top5: int = 0
    unjudged_in_top5: int = 0
    yes_pairs: int = 0
    mutual_hits: int = 0
    lists: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # viewer -> (slug, mark)

    @property
    def precision(self) -> float:
        return self.yes_in_top5 / self.judged_in_top5 if self.judged_in_top5 else 0.0

    @property
    def strict_precision(self) -> float:
        shown = self.judged_in_top5 + self.unjudged_in_top5
        return self.yes_in_top5 / shown if shown else 0.0

    @property
    def mutual_hit_rate(self) -> float:
        return self.mutual_hits / self.yes_pairs if self.yes_pairs else 0.0


def evaluate(index, weights, judgements: list[Judgement]) -> dict[str, PartReport]:
    """Precision@5 and mutual hit@10 per part, from the live ranking."""
    from kbio.matching.suggestions import ranked

    verdicts = {(j.viewer, j.partner): j.yes for j in judgements}
    tops: dict[str, list[str]] = {}

    def top(slug: str, limit: int) -> list[str]:
        if slug not in tops:
            viewer = index.by_slug.get(slug)
            found = ranked(index, viewer, weights, limit=10) if viewer else []
            tops[slug] = [index.info[org.key].slug for org, _score in found]
        return tops[slug][:limit]

    reports = {part: PartReport() for part in PARTS}
    by_viewer: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        by_viewer[judgement.viewer].append(judgement)
    for viewer, found in sorted(by_viewer.items()):
        report = reports[part_of(viewer)]
        report.viewers += 1
        marks = []
        for slug in top(viewer, 5):
            verdict = verdicts.get((viewer, slug))
            if verdict is None:
                report.unjudged_in_top5 += 1
                marks.append((slug, "?"))
            else:
                report.judged_in_top5 += 1
                report.yes_in_top5 += verdict
                marks.append((slug, "yes" if verdict else "no"))
        report.lists[viewer] = marks
        for judgement in found:
            if judgement.yes:
                report.yes_pairs += 1
                mutual = judgement.partner in top(viewer, 10) and viewer in top(
                    judgement.partner, 10
                )
                report.mutual_hits += mutual
    return reports


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kbio-fidelity-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/fidelity.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    from kbio.directory.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    from kbio.matching.services import match_index_invalidate

    match_index_invalidate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--show", action="store_true", help="Print the top 5 of each viewer of the tuning part."
    )
    parser.add_argument(
        "--show-held-out",
        action="store_true",
        help="Also print the held-out part's lists (not while tuning: it would leak).",
    )
    args = parser.parse_args()
    _setup()
    from kbio.matching.index import current_index
    from kbio.matching.models import MatchingProfile

    judgements = load_judgements()
    reports = evaluate(current_index(), MatchingProfile.objects.weights(), judgements)
    viewers = {j.viewer for j in judgements}
    print(
        f"judged set: {len(judgements)} pairs, {len(viewers)} viewers "
        f"({sum(j.yes for j in judgements)} yes)"
    )
    for part in PARTS:
        r = reports[part]
        print(
            f"{part:>8}: {r.viewers} viewers; precision@5 {r.precision:.2f} "
            f"({r.yes_in_top5}/{r.judged_in_top5} judged in the top 5, "
            f"{r.unjudged_in_top5} not judged; counted as no: {r.strict_precision:.2f}); "
            f"mutual hit@10 {r.mutual_hit_rate:.2f} ({r.mutual_hits}/{r.yes_pairs})"
        )
    if args.show or args.show_held_out:
        for part in PARTS if args.show_held_out else ("tune",):
            for viewer, marks in sorted(reports[part].lists.items()):
                listed = ", ".join(f"{slug} [{mark}]" for slug, mark in marks)
                print(f"  {part:>8} {viewer}: {listed}")


if __name__ == "__main__":
    main()
