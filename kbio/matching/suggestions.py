"""Suggestions as a page or the command line shows them: ranked and explained by the engine,
worded in the active language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import engine as e
from .index import AssetInfo, MatchIndex, OrgInfo
from .reasons import Renderer, role_label, rounded_points


@dataclass(frozen=True)
class Text:
    code: str
    text: str
    points: int


@dataclass(frozen=True)
class Suggestion:
    org: OrgInfo
    score: int
    role: str | None  # what the partner is for the viewer: licensee, investor, provider...
    reasons: list[Text]  # strongest first; the points add up to the score
    missing: list[Text]  # biggest loss first
    unknown: list[Text]  # what is not stated (what it costs, when it costs)
    flags: list[Text]  # facts to see before the meeting: a competing platform, an exit
    via_asset: tuple[str, str] | None  # ("yours" | "theirs", asset name)
    blocked: Text | None = None  # why it is not suggested, when it is not

    @property
    def strongest(self) -> list[Text]:
        return self.reasons[:3]

    @property
    def role_label(self) -> str:
        return role_label(self.role) if self.role else ""


def explain(
    index: MatchIndex,
    viewer: e.Org,
    candidate: e.Org,
    weights: e.Weights,
    *,
    item: int | None = None,
    roles=None,
    third_person: str | None = None,
) -> Suggestion:
    """The suggestion in words: to the viewer ("your asset"), or about it by the name
    `third_person` for a reader who is not one of its members."""
    engine = index.engine
    found = engine.explain(index.row(viewer), index.row(candidate), weights, item, roles)
    renderer = Renderer(index, found.via, third_person=third_person)
    score = round(found.score)
    points = rounded_points([line.points for line in found.reasons], score)
    reasons = [
        Text(line.code, renderer.reason(line), p)
        for line, p in zip(found.reasons, points, strict=True)
        if p > 0
    ]

    def texts(lines, render) -> list[Text]:
        return [Text(line.code, render(line), round(line.points)) for line in lines]

    missing = [t for t in texts(found.missing, renderer.missing) if t.points > 0]
    blocked = None
    if found.blocked is not None:
        blocked = Text(found.blocked.code, renderer.blocked(found.blocked), 0)
    return Suggestion(
        org=index.info[candidate.key],
        score=score,
        role=found.role,
        reasons=reasons,
        missing=missing,
        unknown=texts(found.unknown, renderer.unknown),
        flags=texts(found.flags, renderer.flag),
        via_asset=found.via,
        blocked=blocked,
    )


def ranked(
    index: MatchIndex,
    viewer: e.Org,
    weights: e.Weights,
    *,
    candidates: np.ndarray | None = None,
    minimum: float | None = None,
    limit: int | None = None,
    item: int | None = None,
    roles=None,
) -> list[tuple[e.Org, float]]:
    """Every suggestion for the viewer among `candidates` (a mask from
    `MatchIndex.candidates`), best first: those scoring at least `minimum`, by default the
    profile's lowest suggested score."""
    if minimum is None:
        minimum = weights.minimum
    # Scores show rounded; "at least 60" keeps what shows as 60.
    floor = max(0.0, minimum - 0.5)
    found = index.engine.top(
        index.row(viewer),
        weights,
        limit=limit,
        candidates=candidates,
        minimum=floor,
        item=item,
        roles=roles,
    )
    return [(index.orgs[row], score) for row, score in found]


@dataclass(frozen=True)
class Related:
    org: OrgInfo
    kinds: list[str]  # relationship kinds, as labels
    since: str  # ISO date of the earliest


def already_related(index: MatchIndex, viewer: e.Org) -> list[Related]:
    """Organizations the viewer already works with: shown as such, never as new partners."""
    from kbio.directory.models import Relationship

    labels = dict(Relationship.Kind.choices)
    found = []
    for row, relationships in index.engine.related(index.row(viewer)):
        kinds = sorted({str(labels.get(r.kind, r.kind)) for r in relationships})
        since = min(r.since for r in relationships)
        found.append(Related(index.info[index.orgs[row].key], kinds, since))
    return found


def left_out(
    index: MatchIndex,
    viewer: e.Org,
    weights: e.Weights,
    *,
    limit: int = 5,
    third_person: str | None = None,
) -> list[Suggestion]:
    """Organizations a stated fact rules out as partners (an exit from the modality, a fund
    that invests only in funds, a competing platform...), with the fact; at most `limit`."""
    rows = index.engine.ruled_out(index.row(viewer), weights, limit)
    return [
        explain(index, viewer, index.orgs[row], weights, third_person=third_person) for row in rows
    ]


def not_interested(index: MatchIndex, viewer: e.Org) -> list[OrgInfo]:
    return [
        index.info[index.orgs[row].key] for row in index.engine.not_interested(index.row(viewer))
    ]


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
    viewer: e.Org,
    weights: e.Weights,
    *,
    candidates: np.ndarray | None = None,
    limit: int = 5,
    third_person: str | None = None,
) -> list[AssetPartners]:
    """For each open asset of the viewer, the partners that would take it on, with their two
    strongest reasons."""
    engine = index.engine
    v = index.row(viewer)
    infos = {info.key: info for info in index.assets.get(viewer.key, [])}
    found = []
    for item in engine.items_of(v):
        asset = engine.t.items[item].asset
        partners = []
        for candidate, _score in ranked(
            index, viewer, weights, candidates=candidates, limit=limit, item=item
        ):
            row = explain(index, viewer, candidate, weights, item=item, third_person=third_person)
            partners.append(
                AssetPartner(row.org, row.score, [line.text for line in row.reasons][:2])
            )
        modality = index.area_names[asset.modality].get()
        found.append(AssetPartners(infos[asset.key], modality, partners))
    return found
