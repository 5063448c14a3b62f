"""Rank every candidate for one organization at once (no Django).

`kbio.lib.scoring.score_pair` explains one pair; ranking 10,000 candidates with it one by one
takes too long for a page view. `Population` turns every organization (and every open asset
seen as its own row) into integer bitsets and arrays once, and then scores one viewer
against all rows with whole-array operations: the same arithmetic as `scoring`, criterion by
criterion, so both give the same numbers (a property test checks it on random populations).
The page then asks `scoring` for the reasons of the few rows it shows.

Each kind of focus area (modality, therapeutic area, service) and the partnership types get
their own 64-bit space: a taxonomy with more than 64 entries of one kind needs wider masks.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kbio.lib import scoring
from kbio.lib import stages as ladder
from kbio.lib.scoring import Features, OrgData, Taxonomy, Weights

_LADDER = ladder.STAGE_ORDER
_FAR = 99  # distance from a stage to a window that does not exist


class _Bits:
    """Stable bit positions for slugs; 64 at most."""

    def __init__(self, slugs: Iterable[str], what: str):
        ordered = sorted(set(slugs))
        if len(ordered) > 64:
            raise ValueError(f"More than 64 {what}: the ranking masks hold 64 bits.")
        self.bit = {slug: np.uint64(1) << np.uint64(i) for i, slug in enumerate(ordered)}
        self.index = {slug: i for i, slug in enumerate(ordered)}

    def mask(self, slugs: Iterable[str]) -> np.uint64:
        value = np.uint64(0)
        for slug in slugs:
            value |= self.bit.get(slug, np.uint64(0))
        return value


@dataclass
class _Rows:
    """Features of many rows (organizations or asset views) as parallel arrays."""

    kind: np.ndarray  # int16 codes
    korea_japan: np.ndarray  # int8: 1 Korea, 2 Japan, 0 other
    modalities: np.ndarray  # uint64 masks
    areas: np.ndarray
    services: np.ndarray  # uint64 mask of service focus areas
    modality_reach: np.ndarray  # uint64: areas related to any of the row's modalities
    area_reach: np.ndarray
    n_modalities: np.ndarray  # int64
    n_areas: np.ndarray
    seeks: np.ndarray  # uint64 masks of partnership types
    offers: np.ndarray
    takes: np.ndarray  # offers, plus the two-party deals it seeks
    has_window: np.ndarray  # bool
    window_distance: np.ndarray  # (rows, ladder) int16: steps from each stage to the window
    has_stages: np.ndarray  # bool
    stage_points: np.ndarray  # (rows, ladder) bool: stages of its open assets (or lead)
    needs: np.ndarray  # (rows, services) float64
    service_bits: np.ndarray  # (rows, services) float64: 1 where it offers the service
    needs_known: np.ndarray  # bool
    provider: np.ndarray  # bool
    area_agnostic: np.ndarray  # bool: therapeutic areas are not compared with it (CRO/CDMO)

    def __len__(self) -> int:
        return len(self.kind)

    def take(self, index) -> _Rows:
        return _Rows(**{name: value[index] for name, value in vars(self).items()})


@dataclass
class _Allowed:
    """The organizations a viewer may be suggested, and their open assets."""

    index: np.ndarray  # rows of the population
    rows: _Rows
    assets: _Rows
    owners: np.ndarray  # for each asset row, the position of its owner in `rows`


class Population:
    """Every active organization, ready to be ranked against any viewer."""

    def __init__(
        self, orgs: Sequence[OrgData], taxonomy: Taxonomy, scorer: scoring.Scorer | None = None
    ):
        self.taxonomy = taxonomy
        # Features of every organization and asset view, kept for explaining the top rows.
        self.scorer = scorer or scoring.Scorer(taxonomy)
        self.orgs = list(orgs)
        self.keys = np.array([org.key for org in self.orgs], dtype=np.int64)
        self.row_of = {org.key: row for row, org in enumerate(self.orgs)}
        by_kind: dict[str, list[str]] = {}
        for slug, kind in taxonomy.kinds.items():
            by_kind.setdefault(kind, []).append(slug)
        self._modality_bits = _Bits(by_kind.get(scoring.MODALITY, ()), "modalities")
        self._area_bits = _Bits(by_kind.get(scoring.THERAPEUTIC_AREA, ()), "therapeutic areas")
        self._service_bits = _Bits(by_kind.get(scoring.SERVICE, ()), "services")
        deals = {d for org in self.orgs for d in org.seeks | org.offers} | scoring.MUTUAL_DEALS
        self._deal_bits = _Bits(deals, "partnership types")
        self._mutual = self._deal_bits.mask(scoring.MUTUAL_DEALS)
        self._modality_related = [
            self._reach([slug], self._modality_bits) for slug in self._modality_bits.index
        ]
        self._area_related = [
            self._reach([slug], self._area_bits) for slug in self._area_bits.index
        ]
        self._kinds: dict[str, int] = {}
        self.rows = self._rows([self.scorer.features(org) for org in self.orgs])
        views, owners = [], []
        for row, org in enumerate(self.orgs):
            for asset in org.open_assets:
                views.append(self.scorer.asset_features(org, asset))
                owners.append(row)
        self.asset_rows = self._rows(views)
        self.asset_owner = np.array(owners, dtype=np.int64)
        self._allowed_cache: dict[tuple[str, bool], _Allowed] = {}

    # -- building ----------------------------------------------------------------------------

    def _kind_code(self, kind: str) -> int:
        return self._kinds.setdefault(kind, len(self._kinds))

    def _reach(self, slugs: Iterable[str], bits: _Bits) -> np.uint64:
        related: set[str] = set()
        for slug in slugs:
            related |= self.taxonomy.related(slug)
        return bits.mask(related)

    def _rows(self, rows: Sequence[Features]) -> _Rows:
        n = len(rows)
        services = self._service_bits.index
        rungs = len(_LADDER)
        window_distance = np.full((n, rungs), _FAR, dtype=np.int16)
        stage_points = np.zeros((n, rungs), dtype=bool)
        needs = np.zeros((n, max(len(services), 1)), dtype=np.float64)
        for i, f in enumerate(rows):
            if f.window:
                ranks = np.array([ladder.STAGE_RANK[s] for s in f.window])
                window_distance[i] = np.abs(np.arange(rungs)[:, None] - ranks[None, :]).min(1)
            for point in f.stages:
                stage_points[i, ladder.STAGE_RANK[point.stage]] = True
            for service, need in f.needs.items():
                if service in services:
                    needs[i, services[service]] = need.weight
        service_bits = np.zeros_like(needs)
        for i, f in enumerate(rows):
            for service in f.services:
                if service in services:
                    service_bits[i, services[service]] = 1.0
        seeks = np.array([self._deal_bits.mask(f.seeks) for f in rows], dtype=np.uint64)
        offers = np.array([self._deal_bits.mask(f.offers) for f in rows], dtype=np.uint64)
        return _Rows(
            kind=np.array([self._kind_code(f.kind) for f in rows], dtype=np.int16),
            korea_japan=np.array(
                [{"KR": 1, "JP": 2}.get(f.country, 0) for f in rows], dtype=np.int8
            ),
            modalities=np.array(
                [self._modality_bits.mask(f.modalities) for f in rows], dtype=np.uint64
            ),
            areas=np.array([self._area_bits.mask(f.areas) for f in rows], dtype=np.uint64),
            services=np.array([self._service_bits.mask(f.services) for f in rows], dtype=np.uint64),
            modality_reach=np.array(
                [self._reach(f.modalities, self._modality_bits) for f in rows], dtype=np.uint64
            ),
            area_reach=np.array(
                [self._reach(f.areas, self._area_bits) for f in rows], dtype=np.uint64
            ),
            n_modalities=np.array([len(f.modalities) for f in rows], dtype=np.int64),
            n_areas=np.array([len(f.areas) for f in rows], dtype=np.int64),
            seeks=seeks,
            offers=offers,
            takes=offers | (seeks & self._mutual),
            has_window=np.array([bool(f.window) for f in rows], dtype=bool),
            window_distance=window_distance,
            has_stages=np.array([bool(f.stages) for f in rows], dtype=bool),
            stage_points=stage_points,
            needs=needs,
            service_bits=service_bits,
            needs_known=np.array([f.needs_known for f in rows], dtype=bool),
            provider=np.array([f.provider for f in rows], dtype=bool),
            area_agnostic=np.array(
                [f.kind in scoring.AREA_AGNOSTIC_KINDS for f in rows], dtype=bool
            ),
        )

    def features_of(self, org: OrgData) -> _Rows:
        """The viewer row followed by one row per open asset of the viewer."""
        views = [self.scorer.features(org)]
        views += [self.scorer.asset_features(org, asset) for asset in org.open_assets]
        return self._rows(views)

    # -- scoring -----------------------------------------------------------------------------

    def scores(self, viewer: OrgData, weights: Weights, candidates: np.ndarray | None = None):
        """Score of `viewer` with every organization (0–100), the best of the organization
        level and every open asset of either side; -1 where the pair is not suggested (itself,
        the same kind unless allowed, or outside `candidates`, a boolean mask)."""
        allowed = self._allowed(viewer, weights, candidates)
        scores = np.full(len(self.orgs), -1.0)
        scores[allowed.index] = self._scores_on(viewer, weights, allowed)
        scores[self.keys == viewer.key] = -1.0
        return scores

    def _scores_on(self, viewer: OrgData, weights: Weights, allowed: _Allowed) -> np.ndarray:
        """Scores of `viewer` with the allowed rows, in their order."""
        rows, assets, owners = allowed.rows, allowed.assets, allowed.owners
        own = self.features_of(viewer)
        org = own.take([0])
        best = _pair_scores(org, rows, weights, self._mutual)
        for i in range(1, len(own)):
            # An asset counts only with partners that work on its science: score just those.
            view = own.take([i])
            fits = np.flatnonzero(_shares_science(view, rows))
            others = rows.take(fits)
            seen = self._with_common_ground(view, org.modalities, org.areas, others)
            scored = _pair_scores(seen, others, weights, self._mutual)
            best[fits] = np.maximum(best[fits], scored)
        fits = np.flatnonzero(_shares_science(org, assets, reverse=True))
        if len(fits):
            seen = self._with_common_ground(
                assets.take(fits),
                rows.modalities[owners[fits]],
                rows.areas[owners[fits]],
                org,
            )
            scored = _pair_scores(org, seen, weights, self._mutual)
            np.maximum.at(best, owners[fits], scored)
        return best

    def _allowed(self, viewer: OrgData, weights: Weights, candidates) -> _Allowed:
        """The rows a viewer may be suggested (all kinds, or all but its own; within
        `candidates`), with their open assets. Kept per kind when nothing else narrows them."""
        keep = np.ones(len(self.orgs), dtype=bool)
        if not weights.include_same_kind:
            keep &= self.rows.kind != self._kind_code(viewer.kind)
        if candidates is None:
            key = (viewer.kind, weights.include_same_kind)
            if key not in self._allowed_cache:
                self._allowed_cache[key] = self._subset(keep)
            return self._allowed_cache[key]
        return self._subset(keep & candidates)

    @staticmethod
    def _after(allowed: _Allowed, row: int) -> _Allowed:
        """The allowed rows after `row` (a suffix: views, not copies)."""
        start = int(np.searchsorted(allowed.index, row, side="right"))
        first_asset = int(np.searchsorted(allowed.owners, start, side="left"))
        return _Allowed(
            index=allowed.index[start:],
            rows=allowed.rows.take(slice(start, None)),
            assets=allowed.assets.take(slice(first_asset, None)),
            owners=allowed.owners[first_asset:] - start,
        )

    def _subset(self, keep: np.ndarray) -> _Allowed:
        index = np.flatnonzero(keep)  # ascending, as are the owners of the asset rows
        position = np.full(len(self.orgs), -1, dtype=np.int64)
        position[index] = np.arange(len(index))
        assets = np.flatnonzero(keep[self.asset_owner])
        return _Allowed(
            index=index,
            rows=self.rows.take(index),
            assets=self.asset_rows.take(assets),
            owners=position[self.asset_owner[assets]],
        )

    def asset_scores(
        self,
        viewer: OrgData,
        asset: scoring.AssetData,
        weights: Weights,
        candidates: np.ndarray | None = None,
    ) -> np.ndarray:
        """Score of one asset of `viewer` with every organization (`scoring.score_asset`)."""
        allowed = self._allowed(viewer, weights, candidates)
        view = self._rows([self.scorer.asset_features(viewer, asset)])
        org = self._rows([self.scorer.features(viewer)])
        found = np.zeros(len(allowed.index))
        fits = np.flatnonzero(_shares_science(view, allowed.rows))
        others = allowed.rows.take(fits)
        seen = self._with_common_ground(view, org.modalities, org.areas, others)
        found[fits] = _pair_scores(seen, others, weights, self._mutual)
        scores = np.full(len(self.orgs), -1.0)
        scores[allowed.index] = found
        scores[self.keys == viewer.key] = -1.0
        return scores

    def _with_common_ground(
        self, views: _Rows, modalities: np.ndarray, areas: np.ndarray, others: _Rows
    ) -> _Rows:
        """`scoring.with_common_ground` for arrays: each asset view also carries the science
        its organization (`modalities`, `areas` masks) shares with the other side (arrays
        broadcast: one view against many others, or many views against one other)."""
        modalities = modalities & others.modalities
        areas = areas & others.areas
        seen_modalities = views.modalities | modalities
        seen_areas = views.areas | areas
        return replace(
            views,
            modalities=seen_modalities,
            areas=seen_areas,
            modality_reach=views.modality_reach | _reach_of(modalities, self._modality_related),
            area_reach=views.area_reach | _reach_of(areas, self._area_related),
            n_modalities=_popcount(seen_modalities),
            n_areas=_popcount(seen_areas),
        )

    def top(
        self,
        viewer: OrgData,
        weights: Weights,
        limit: int | None = None,
        candidates: np.ndarray | None = None,
        minimum: float = 0.0,
        asset: scoring.AssetData | None = None,
    ) -> list[tuple[OrgData, float]]:
        """Suggestions scoring above zero (and at least `minimum`), best first, ties in the
        order of `self.orgs`; for one asset of the viewer when `asset` is given."""
        if asset is None:
            scores = self.scores(viewer, weights, candidates)
        else:
            scores = self.asset_scores(viewer, asset, weights, candidates)
        # Rounding makes ties exact, so equal scores keep the population order.
        rounded = np.round(scores, 9)
        keep = np.flatnonzero((rounded > 0) & (rounded >= round(minimum, 9)))
        order = keep[np.argsort(-rounded[keep], kind="stable")]
        if limit is not None:
            order = order[:limit]
        return [(self.orgs[row], float(scores[row])) for row in order]

    def top_for_all(
        self, weights: Weights, limit: int = 10, share: tuple[int, int] = (0, 1)
    ) -> list[list[tuple[float, int]]]:
        """Every organization's best `limit` partners as (score, row) lists, best first.

        The score of a pair is the same from both sides, so each pair is scored once: viewer
        i only against the rows after it, and the result feeds both lists. `share=(k, n)`
        scores the viewers k, k + n, k + 2n, ... so that n processes split the work; combine
        their lists with `merge_tops`. Ties keep the population order, as `top` does.
        """
        n = len(self.orgs)
        lists: list[list[tuple[float, int]]] = [[] for _ in range(n)]  # min-heaps
        floor = np.zeros(n)  # what a partner must reach to enter a full list

        def offer(owner: int, partner: int, score: float) -> None:
            heap, entry = lists[owner], (score, -partner)  # a lower row wins a tie
            if len(heap) < limit:
                heapq.heappush(heap, entry)
            elif entry > heap[0]:
                heapq.heapreplace(heap, entry)
            else:
                return
            if len(heap) == limit:
                floor[owner] = heap[0][0]

        first, step = share
        for row in range(first, n, step):
            viewer = self.orgs[row]
            later = self._after(self._allowed(viewer, weights, None), row)
            if not len(later.index):
                continue
            scores = np.round(self._scores_on(viewer, weights, later), 9)
            partners = later.index
            positive = scores > 0
            mine = np.flatnonzero(positive & (scores >= floor[row]))
            for at in mine[np.lexsort((partners[mine], -scores[mine]))][:limit]:
                offer(row, int(partners[at]), float(scores[at]))
            for at in np.flatnonzero(positive & (scores >= floor[partners])):
                offer(int(partners[at]), row, float(scores[at]))
        return [sorted(((s, -r) for s, r in heap), key=lambda e: (-e[0], e[1])) for heap in lists]


def merge_tops(
    parts: Sequence[list[list[tuple[float, int]]]], limit: int = 10
) -> list[list[tuple[float, int]]]:
    """Combine the lists of `Population.top_for_all` calls that shared the work."""
    return [
        sorted((entry for part in parts for entry in part[row]), key=lambda e: (-e[0], e[1]))[
            :limit
        ]
        for row in range(len(parts[0]))
    ]


def _popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values).astype(np.int64)


def _reach_of(masks: np.ndarray, related: Sequence[np.uint64]) -> np.ndarray:
    """For each mask, the union of the related areas of its bits."""
    reach = np.zeros(masks.shape, dtype=np.uint64)
    present = int(np.bitwise_or.reduce(masks)) if masks.size else 0
    for bit, mask in enumerate(related):
        if present >> bit & 1:
            has = (masks >> np.uint64(bit)) & np.uint64(1)
            reach |= np.where(has != 0, mask, np.uint64(0))
    return reach


def _shares_science(view: _Rows, rows: _Rows, reverse: bool = False) -> np.ndarray:
    """`scoring.shares_science(view, row)` for every row (or `(row, view)` when reverse)."""
    if reverse:
        return ((rows.modalities & view.modality_reach[0]) != 0) | (
            (rows.areas & view.area_reach[0]) != 0
        )
    return ((view.modalities[0] & rows.modality_reach) != 0) | (
        (view.areas[0] & rows.area_reach) != 0
    )


_STAGE_CREDIT = np.zeros(_FAR + 1, dtype=np.float64)
_STAGE_CREDIT[: len(scoring.STAGE_CREDIT)] = scoring.STAGE_CREDIT


def _pair_scores(viewer: _Rows, rows: _Rows, weights: Weights, mutual: np.uint64) -> np.ndarray:
    """`scoring._score_views(viewer, row).score` for every row, as arrays."""
    n = len(rows)
    v = viewer  # a single row: index [0]

    # Stage fit, counted on both sides: their window against our stages, ours against theirs.
    stage_applies = np.zeros(n, dtype=bool)
    stage_value = np.zeros(n)
    if weights.stage and v.has_stages[0]:
        theirs = rows.has_window
        own_stages = np.flatnonzero(v.stage_points[0])
        credit = _STAGE_CREDIT[rows.window_distance[:, own_stages].min(axis=1)]
        stage_value = np.where(theirs, credit, 0.0)
        stage_applies = stage_applies | theirs
    if weights.stage and v.has_window[0]:
        yours = rows.has_stages
        distance = np.where(rows.stage_points, v.window_distance[0][None, :], _FAR).min(axis=1)
        stage_value = np.maximum(stage_value, np.where(yours, _STAGE_CREDIT[distance], 0.0))
        stage_applies = stage_applies | yours

    # Services, counted on both sides: their services for our needs, ours for theirs.
    services_applies = np.zeros(n, dtype=bool)
    services_value = np.zeros(n)
    if weights.services and v.needs_known[0]:
        they_serve = rows.provider
        value = np.minimum(1.0, rows.service_bits @ v.needs[0] / scoring.SERVICE_SATURATION)
        services_value = np.where(they_serve, value, 0.0)
        services_applies = services_applies | they_serve
    if weights.services and v.provider[0]:
        we_serve = rows.needs_known
        value = np.minimum(1.0, rows.needs @ v.service_bits[0] / scoring.SERVICE_SATURATION)
        services_value = np.maximum(services_value, np.where(we_serve, value, 0.0))
        services_applies = services_applies | we_serve

    mutual_weight = np.where(stage_applies, weights.stage, 0.0) + np.where(
        services_applies, weights.services, 0.0
    )
    mutual_points = np.where(stage_applies, weights.stage * stage_value, 0.0) + np.where(
        services_applies, weights.services * services_value, 0.0
    )
    services_shared = services_applies & (services_value > 0)

    def direction(seeker: _Rows, other: _Rows) -> np.ndarray:
        """What `seeker` gets from `other`, 0–1 (0 without anything real in common)."""
        total = mutual_weight.copy()
        points = mutual_points.copy()
        shared = services_shared.copy()
        if weights.deal:
            seeks, offers = _popcount(seeker.seeks), _popcount(seeker.offers)
            met = _popcount(seeker.seeks & other.takes)
            taken = _popcount(seeker.offers & other.seeks)
            saturation = scoring.DEAL_SATURATION
            seeking = (seeks > 0) & ((other.offers | other.seeks) != 0)
            offering = (offers > 0) & (other.seeks != 0)
            seek_half = np.minimum(1.0, met / np.maximum(np.minimum(seeks, saturation), 1))
            offer_half = np.minimum(1.0, taken / np.maximum(np.minimum(offers, saturation), 1))
            halves = seeking.astype(np.float64) + offering
            value = (np.where(seeking, seek_half, 0.0) + np.where(offering, offer_half, 0.0)) / (
                np.maximum(halves, 1)
            )
            applies = np.broadcast_to(halves > 0, (n,))
            total += np.where(applies, weights.deal, 0.0)
            points += np.where(applies, weights.deal * value, 0.0)
            shared |= applies & ((met + taken) > 0)
        for weight, mine, count, theirs, their_count, agnostic in (
            (
                weights.modality,
                seeker.modalities,
                seeker.n_modalities,
                other.modality_reach,
                other.n_modalities,
                False,
            ),
            (
                weights.therapeutic_area,
                seeker.areas,
                seeker.n_areas,
                other.area_reach,
                other.n_areas,
                True,
            ),
        ):
            if not weight:
                continue
            applies = np.ones(n, dtype=bool)
            if agnostic:
                applies = applies & ~other.area_agnostic & ~seeker.area_agnostic
            covered = _popcount(mine & theirs)
            breadth = np.minimum(count, scoring.BREADTH_CAP)
            known = (count > 0) & (their_count > 0)
            value = np.where(
                known, np.minimum(1.0, covered / np.maximum(breadth, 1)), 0.5 / (breadth + 1)
            )
            total += np.where(applies, weight, 0.0)
            points += np.where(applies, weight * value, 0.0)
            shared |= applies & (covered > 0) & known
        value = np.where(shared, points / np.where(total > 0, total, 1.0), 0.0)
        return value

    x = direction(v, rows)
    y = direction(rows, v)
    both = (x > 0) & (y > 0)
    harmonic = np.where(both, 2 * x * y / np.where(both, x + y, 1.0), 0.0)
    cross_border = (v.korea_japan[0] * rows.korea_japan) == 2
    scale = 100 / (1 + weights.cross_border_bonus / 100)
    return np.where(cross_border, 100 * harmonic, scale * harmonic)
