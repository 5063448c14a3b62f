"""Suggestions as a page or the command line shows them: ranked with the index, explained
with the score module, worded in the active language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kbio.lib.scoring import Match, OrgData, Weights

from .index import AssetInfo, MatchIndex, OrgInfo
from .reasons import NEUTRAL_CODES, Renderer, rounded_points


@dataclass(frozen=True)
class Line:
    code: str
    text: str
    points: int

    @property
    def neutral(self) -> bool:
        """It only says that nothing speaks against the pair."""
        return self.code in NEUTRAL_CODES


@dataclass(frozen=True)
class AssetFit:
    name: str
    score: int


@dataclass(frozen=True)
class Suggestion:
    org: OrgInfo
    score: int
    reasons: list[Line]  # strongest first; the points add up to the score
    missing: list[Line]  # biggest loss first
    via_asset: tuple[str, str] | None  # ("yours" | "theirs", asset name) when an asset fits best
    your_assets: list[AssetFit]  # the viewer's assets that fit this partner
    their_assets: list[AssetFit]  # the partner's assets that fit the viewer

    @property
    def strongest(self) -> list[Line]:
        """The three strongest reasons that say something positive."""
        return [line for line in self.reasons if not line.neutral][:3]


def _lines(index: MatchIndex, match: Match) -> tuple[list[Line], list[Line]]:
    renderer = Renderer(index, match.via_asset)
    score = round(match.score)
    points = rounded_points(match.reasons, score)
    reasons = [
        Line(r.code, renderer.reason(r), p)
        for r, p in zip(match.reasons, points, strict=True)
        if p > 0
    ]
    missing = [Line(r.code, renderer.missing(r), round(r.points)) for r in match.missing]
    return reasons, [line for line in missing if line.points > 0]


def explain(index: MatchIndex, viewer: OrgData, candidate: OrgData, weights: Weights) -> Suggestion:
    match = index.population.scorer.pair(viewer, candidate, weights)
    reasons, missing = _lines(index, match)
    fits = {"yours": [], "theirs": []}
    for side, name, score in match.asset_scores:
        if round(score) > 0:
            fits[side].append(AssetFit(name, round(score)))
    return Suggestion(
        org=index.info[candidate.key],
        score=round(match.score),
        reasons=reasons,
        missing=missing,
        via_asset=match.via_asset,
        your_assets=fits["yours"],
        their_assets=fits["theirs"],
    )


def ranked(
    index: MatchIndex,
    viewer: OrgData,
    weights: Weights,
    *,
    candidates: np.ndarray | None = None,
    minimum: int | None = None,
    limit: int | None = None,
) -> list[tuple[OrgData, float]]:
    """Every suggestion for the viewer among `candidates` (a mask from
    `MatchIndex.candidates`), best first."""
    # Scores show rounded; "at least 60" keeps what shows as 60.
    floor = max(0.0, (minimum or 0) - 0.5)
    return index.population.top(viewer, weights, limit=limit, candidates=candidates, minimum=floor)


@dataclass(frozen=True)
class AssetPartner:
    org: OrgInfo
    score: int
    reasons: list[str]  # the two strongest


@dataclass(frozen=True)
class AssetPartners:
    asset: AssetInfo
    modality: str  # the modality's name in the active language
    partners: list[AssetPartner]


def asset_partners(
    index: MatchIndex,
    viewer: OrgData,
    weights: Weights,
    *,
    candidates: np.ndarray | None = None,
    limit: int = 5,
) -> list[AssetPartners]:
    """For each open asset of the viewer, the partners that fit it best, with their two
    strongest reasons."""
    infos = {info.key: info for info in index.assets.get(viewer.key, [])}
    found = []
    for asset in viewer.open_assets:
        partners = []
        for candidate, _score in index.population.top(
            viewer, weights, limit=limit, candidates=candidates, asset=asset
        ):
            match = index.population.scorer.asset(viewer, asset, candidate, weights)
            reasons, _missing = _lines(index, match)
            top = [line.text for line in reasons if not line.neutral][:2]
            partners.append(AssetPartner(index.info[candidate.key], round(match.score), top))
        modality = index.area_names[asset.modality].get()
        found.append(AssetPartners(infos[asset.key], modality, partners))
    return found
