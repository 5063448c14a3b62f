"""Rank every partner for one organization, and explain a pair, with one set of rules.

A suggestion is worth the meeting for both sides. For a pair the engine asks which roles the
partner could play (a licensee for your asset, an asset you could take on, an investor, a
company to invest in, a fund, a service provider, a client, a supporter) and how well each
fits (`fits`). Each side then weighs the role by what it came for (its intents): a side that
did not come for this role keeps `Weights.off_intent` of it. The two sides are combined by
the harmonic mean (RECON, Pizzato et al., RecSys 2010), so a meeting one side did not come
for ranks low whatever the other side thinks. The pair's score is that of its best role,
0–100, with a bonus for Korea–Japan pairs.

Pairs that already work together (a tenancy, an MOU, a client, an investment...) are never
suggested as new partners, and neither are partners an organization marked "not interested".
Partners similar to one it declined as outside its focus rank lower.

Every point is explained: `explain` returns reasons, what is missing and what is not known,
as codes with parameters and the points each is worth; the points of the reasons add up to
the score. The Django layer puts the codes into words.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kbio.lib import stages as ladder

from . import fits
from . import model as m
from .model import Feedback, Org, Relationship, Taxonomy, Weights
from .tables import LOCAL_SERVICES, PORTFOLIO_SERVICES, UNKNOWN, Tables

# Roles: what the partner is for the viewer, with the viewer's and the partner's intents
# that the role serves.
_GIVES = ("licensees", "co_development", "research")
_TAKES = ("assets", "co_development", "research")
ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "licensee": (_GIVES, _TAKES),
    "licensor": (_TAKES, _GIVES),
    "investor": (("investors",), ("investees",)),
    "investee": (("investees",), ("investors",)),
    "fund": (("investees",), ("investors",)),
    "limited_partner": (("investors",), ("investees",)),
    "provider": (("providers",), ("clients",)),
    "client": (("clients",), ("providers",)),
    "supporter": (("support",), ("supported",)),
    "supported": (("supported",), ("support",)),
}
ROLE_NAMES = tuple(ROLES)
# The role the viewer plays for the partner when the partner plays this one for the viewer.
MIRROR = {
    "licensee": "licensor",
    "licensor": "licensee",
    "investor": "investee",
    "investee": "investor",
    "fund": "limited_partner",
    "limited_partner": "fund",
    "provider": "client",
    "client": "provider",
    "supporter": "supported",
    "supported": "supporter",
}
_SERVICE_ROLES = frozenset({"provider", "client"})
# The key under which `fits_of` keeps the element fits of the licensing roles.
ELEMENTS = "_elements"
_FUND_ROLES = frozenset({"fund", "limited_partner"})
# Rank lower: a partner of the kind an organization declined as outside its focus, working
# on the same modalities.
FEEDBACK_FACTOR = 0.6
_ZERO = np.uint64(0)


@dataclass(frozen=True)
class Line:
    """A reason, a missing piece, an unknown or a flag: a code, what its sentence needs, and
    the points it earned (reasons) or cost (the others)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    points: float = 0.0


@dataclass(frozen=True)
class Explanation:
    score: float  # 0–100
    role: str | None  # what the partner is for the viewer
    reasons: tuple[Line, ...] = ()  # strongest first; their points add up to the score
    missing: tuple[Line, ...] = ()  # what keeps the score lower, biggest loss first
    unknown: tuple[Line, ...] = ()  # what is not stated, and what it costs
    flags: tuple[Line, ...] = ()  # facts a BD person must see (a competing platform...)
    via: tuple[str, str] | None = None  # ("yours" | "theirs", asset name)
    blocked: Line | None = None  # why the pair is not suggested, when it is not
    relationships: tuple[Relationship, ...] = ()


def _max_by_owner(values: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """The largest value per owner (owners ascending), 0 for owners without values."""
    out = np.zeros(n)
    if not len(values):
        return out
    starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    out[owners[starts]] = np.maximum.reduceat(values, starts)
    return np.maximum(out, 0.0)


def _sum_by_owner(values: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owners, weights=values, minlength=n)


class Engine:
    """Every active organization, ready to be ranked against any of them."""

    def __init__(
        self,
        orgs: Sequence[Org],
        taxonomy: Taxonomy,
        relationships: Mapping[tuple[int, int], Sequence[Relationship]] | None = None,
        feedback: Feedback | None = None,
    ):
        self.orgs = list(orgs)
        self.taxonomy = taxonomy
        self.t = Tables(self.orgs, taxonomy)
        self._fits_cache: dict[tuple, dict[str, np.ndarray]] = {}
        # Per-partner arrays that depend only on the weights (intents, Korea–Japan).
        self._intent_arrays: dict[tuple, object] = {}
        self._cache_lock = threading.Lock()
        self.row_of = {org.key: row for row, org in enumerate(self.orgs)}
        n = len(self.orgs)
        t = self.t
        self._role_bits = {
            role: (np.uint64(t.intent.mask(mine)), np.uint64(t.intent.mask(theirs)))
            for role, (mine, theirs) in ROLES.items()
        }
        # Existing relationships, by row pair (both orders).
        self.relationships: dict[tuple[int, int], tuple[Relationship, ...]] = {}
        self._related: list[set[int]] = [set() for _ in range(n)]
        for (a, b), found in (relationships or {}).items():
            ra, rb = self.row_of.get(a), self.row_of.get(b)
            if ra is None or rb is None or ra == rb:
                continue
            both = self.relationships.get((ra, rb), ()) + tuple(found)
            self.relationships[(ra, rb)] = self.relationships[(rb, ra)] = both
            self._related[ra].add(rb)
            self._related[rb].add(ra)
        feedback = feedback or Feedback()
        self._not_interested: list[set[int]] = [set() for _ in range(n)]
        for a, b in feedback.not_interested:
            ra, rb = self.row_of.get(a), self.row_of.get(b)
            if ra is not None and rb is not None:
                self._not_interested[ra].add(rb)
        # Declined as outside its focus: partners of that kind on the same modalities.
        self.penalty_mods = np.zeros(n, np.uint64)
        self.penalty_kinds = np.zeros(n, np.uint64)
        self._declined: list[list[int]] = [[] for _ in range(n)]
        self._any_penalty = bool(feedback.outside_focus)
        for a, b in feedback.outside_focus:
            ra, rb = self.row_of.get(a), self.row_of.get(b)
            if ra is None or rb is None:
                continue
            self.penalty_mods[ra] |= t.mods[rb]
            self.penalty_kinds[ra] |= np.uint64(1 << int(t.kind[rb]))
            self._declined[ra].append(rb)

    # -- ranking ------------------------------------------------------------------------------

    def fits_of(self, v: int, w: Weights, item: int | None = None) -> dict[str, np.ndarray]:
        """The fit (0–1) of every organization with `v` in each role, before intents.
        With `item` (a row of `t.items` owned by v): only partners taking that item.
        The last few are kept: a page ranks, groups and explains for one viewer."""
        key = (v, w, item)
        found = self._fits_cache.get(key)
        if found is None:
            found = self._fits(v, w, item)
            with self._cache_lock:
                if len(self._fits_cache) >= 16:
                    self._fits_cache.pop(next(iter(self._fits_cache)))
                self._fits_cache[key] = found
        return found

    def _fits(self, v: int, w: Weights, item: int | None) -> dict[str, np.ndarray]:
        t, n = self.t, len(self.orgs)
        everyone = np.arange(n)
        me = np.full(n, v)
        found: dict[str, np.ndarray] = {}
        items = [item] if item is not None else list(t.items_by_owner[v])
        # The element fits (interest × item) are kept: explaining a pair reads them.
        elements: dict[str, list] = {"licensee": [], "licensor": []}
        found[ELEMENTS] = elements
        if items and len(t.int_owner):
            # Only interests that can take an item's modality (or name none) can fit; all the
            # viewer's items are judged in one pass.
            taking = [t.interests_taking(int(t.item_mods[k])) for k in items]
            interests = np.concatenate(taking)
            offered = np.repeat(np.array(items, np.int64), [len(x) for x in taking])
            fit = fits.license(t, interests, offered, w)
            owners = t.int_owner[interests]
            best, total = np.zeros(n), np.zeros(n)
            start = 0
            for part in taking:
                end = start + len(part)
                segment = slice(start, end)
                elements["licensee"].append(
                    (interests[segment], offered[segment], owners[segment], fit, start)
                )
                taken = _max_by_owner(fit.value[segment], owners[segment], n)
                best, total = np.maximum(best, taken), total + taken
                start = end
            found["licensee"] = fits.with_others(best, total)
        if item is not None:
            return found
        mine = t.interests_by_owner[v]
        if len(mine) and len(t.item_owner):
            per_item = np.zeros(len(t.item_owner))
            for k in mine:
                candidates = t.items_taken_by(int(t.int_mods[k]), int(t.int_areas[k]))
                fit = fits.license(t, np.full(len(candidates), k), candidates, w)
                owners = t.item_owner[candidates]
                elements["licensor"].append(
                    (np.full(len(candidates), k), candidates, owners, fit, 0)
                )
                per_item[candidates] = np.maximum(per_item[candidates], fit.value)
            best = _max_by_owner(per_item, t.item_owner, n)
            total = _sum_by_owner(per_item, t.item_owner, n)
            found["licensor"] = fits.with_others(best, total)

        # Each role is judged only against the rows that can play it, then spread over all.
        def spread(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
            out = np.zeros(n)
            out[rows] = values
            return out

        if t.seeks_investment[v]:
            rows = t.investors
            found["investor"] = spread(rows, fits.invest(t, rows, me[: len(rows)], w).value)
        if t.vehicle[v]:
            rows = t.investees
            found["investee"] = spread(rows, fits.invest(t, me[: len(rows)], rows, w).value)
            rows = t.investors
            found["fund"] = spread(rows, fits.fund(t, me[: len(rows)], rows, w).value)
            found["limited_partner"] = spread(rows, fits.fund(t, rows, me[: len(rows)], w).value)
        if t.has_needs[v]:
            coverage = fits.serve_many_providers(t, v)
            found["provider"] = fits.serve(t, everyone, me, coverage).value
        if t.provider[v]:
            coverage, _ = fits.serve_many_clients(t, v, w)
            found["client"] = fits.serve(t, me, everyone, coverage).value
        if t.support_seeks[v]:
            rows = t.supporters
            found["supporter"] = spread(rows, fits.support(t, rows, me[: len(rows)]).value)
        if t.support_offers[v]:
            rows = t.support_seekers
            found["supported"] = spread(rows, fits.support(t, me[: len(rows)], rows).value)
        return found

    def _best_for(self, v: int, c: int, w: Weights, found, roles=None) -> tuple[float, str | None]:
        """`_best` for one partner, with the same arithmetic."""
        same = self.t.kind[c] == self.t.kind[v]
        best, chosen = 0.0, None
        for name, fit in found.items():
            if name == ELEMENTS or (roles is not None and name not in roles):
                continue
            if same and not w.include_same_kind and name not in _FUND_ROLES | _SERVICE_ROLES:
                continue
            value = float(fit[c]) * self._intent_pair(v, c, name, w) * self._role_factor(name, w)
            if value > best + 1e-12:
                best, chosen = value, name
        return best, chosen

    def _intent_pair(self, v: int, c: int, role: str, w: Weights) -> float:
        t = self.t
        mine, theirs = self._role_bits[role]
        off = w.off_intent / 100
        viewer = 1.0 if (t.intents[v] == _ZERO or t.intents[v] & mine) else off
        partner = 1.0 if (t.intents[c] == _ZERO or t.intents[c] & theirs) else off
        both = viewer + partner
        return 2 * viewer * partner / both if both > 0 else 0.0

    def _feedback_pair(self, v: int, c: int) -> float:
        t = self.t
        factor = 1.0
        for a, b in ((v, c), (c, v)):
            bit = np.uint64(1 << int(t.kind[b]))
            if (t.mods[b] & self.penalty_mods[a]) and (self.penalty_kinds[a] & bit):
                factor *= FEEDBACK_FACTOR
        return factor

    def _intent_factor(self, v: int, role: str, w: Weights) -> np.ndarray:
        """The harmonic mean of what each side keeps of this role by its intents."""
        t = self.t
        mine, _theirs = self._role_bits[role]
        off = w.off_intent / 100
        viewer = 1.0 if (t.intents[v] == _ZERO or t.intents[v] & mine) else off
        # Both values a harmonic mean with the viewer's factor can take, per partner.
        key = (role, off)
        both = self._intent_arrays.get(key)
        if both is None:
            both = self._intent_arrays[key] = self._intent_array(role, off)
        return both[0] if viewer == 1.0 else both[1]

    def _intent_array(self, role: str, off: float) -> tuple[np.ndarray, np.ndarray]:
        t = self.t
        _mine, theirs = self._role_bits[role]
        partner = np.where((t.intents == _ZERO) | ((t.intents & theirs) != _ZERO), 1.0, off)
        found = []
        for viewer in (1.0, off):
            total = viewer + partner
            safe = np.where(total > 0, total, 1.0)
            found.append(np.where(total > 0, 2 * viewer * partner / safe, 0.0))
        return found[0], found[1]

    def _role_factor(self, role: str, w: Weights) -> float:
        return w.services / 100 if role in _SERVICE_ROLES else 1.0

    def _feedback_factor(self, v: int) -> np.ndarray | float:
        t = self.t
        if not self._any_penalty:
            return 1.0
        kind_bits = np.left_shift(np.uint64(1), t.kind.astype(np.uint64))
        mine = ((t.mods & self.penalty_mods[v]) != _ZERO) & (
            (kind_bits & self.penalty_kinds[v]) != _ZERO
        )
        vbit = np.uint64(1 << int(t.kind[v]))
        theirs = ((self.penalty_mods & t.mods[v]) != _ZERO) & ((self.penalty_kinds & vbit) != _ZERO)
        return np.where(mine, FEEDBACK_FACTOR, 1.0) * np.where(theirs, FEEDBACK_FACTOR, 1.0)

    def _cross_border(self, v: int, w: Weights) -> np.ndarray:
        key = (int(self.t.kr_jp[v]), w.cross_border_bonus)
        found = self._intent_arrays.get(key)
        if found is None:
            scale = 1 / (1 + w.cross_border_bonus / 100)
            found = np.where(self.t.kr_jp[v] * self.t.kr_jp == 2, 1.0, scale)
            self._intent_arrays[key] = found
        return found

    def _suggestable(self, v: int, candidates: np.ndarray | None) -> np.ndarray:
        keep = np.ones(len(self.orgs), bool) if candidates is None else candidates.copy()
        keep[v] = False
        for row in self._related[v] | self._not_interested[v]:
            keep[row] = False
        return keep

    def _best(self, v: int, w: Weights, found: dict[str, np.ndarray], roles=None):
        t = self.t
        key = ("same", int(t.kind[v]))
        same = self._intent_arrays.get(key)
        if same is None:
            same = self._intent_arrays[key] = t.kind == t.kind[v]
        best = np.zeros(len(self.orgs))
        role = np.full(len(self.orgs), -1)
        for name, fit in found.items():
            if name == ELEMENTS or (roles is not None and name not in roles):
                continue
            # Two of a kind meet as a fund and a fund of funds, or as a provider and its
            # client (a venture making culture media for another), not otherwise by default.
            if not fit.any():
                continue
            if not w.include_same_kind and name not in _FUND_ROLES | _SERVICE_ROLES:
                fit = np.where(same, 0.0, fit)
            value = fit * self._intent_factor(v, name, w) * self._role_factor(name, w)
            better = value > best + 1e-12
            best = np.where(better, value, best)
            role = np.where(better, ROLE_NAMES.index(name), role)
        return best, role

    def scores(
        self,
        v: int,
        w: Weights,
        candidates: np.ndarray | None = None,
        item: int | None = None,
        roles: Iterable[str] | None = None,
    ) -> np.ndarray:
        """Score (0–100) of every organization as a new partner for row `v`; -1 where it is
        not suggested (itself, outside `candidates`, already related, not wanted). With
        `roles`: the score in those roles only."""
        roles = frozenset(roles) if roles is not None else None
        best, _role = self._best(v, w, self.fits_of(v, w, item), roles)
        score = 100 * best * self._feedback_factor(v) * self._cross_border(v, w)
        return np.where(self._suggestable(v, candidates), score, -1.0)

    def top(
        self,
        v: int,
        w: Weights,
        limit: int | None = None,
        candidates: np.ndarray | None = None,
        minimum: float = 0.0,
        item: int | None = None,
        roles: Iterable[str] | None = None,
    ) -> list[tuple[int, float]]:
        """(row, score) of the suggestions above zero and at least `minimum`, best first;
        ties in row order."""
        scores = np.round(self.scores(v, w, candidates, item, roles), 9)
        keep = np.flatnonzero((scores > 0) & (scores >= round(minimum, 9)))
        if limit is not None and len(keep) > limit:
            # The best `limit`, and every row tied with the last of them, then in order.
            floor = np.partition(scores[keep], len(keep) - limit)[len(keep) - limit]
            keep = keep[scores[keep] >= floor]
        order = keep[np.argsort(-scores[keep], kind="stable")]
        if limit is not None:
            order = order[:limit]
        return [(int(row), float(scores[row])) for row in order]

    def role_groups(self, v: int) -> list[tuple[str, tuple[str, ...]]]:
        """The viewer's intents, each with the roles of partners that serve it."""
        found = []
        for intent in m.INTENTS:
            if intent in self.orgs[v].intents:
                roles = tuple(r for r, (mine, _theirs) in ROLES.items() if intent in mine)
                found.append((intent, roles))
        return found

    def top_for_all(
        self, w: Weights, limit: int = 10, share: tuple[int, int] = (0, 1)
    ) -> list[list[tuple[float, int]]]:
        """Every organization's best `limit` partners as (score, row), best first.
        `share=(k, n)`: only the viewers k, k + n, ... (to split the work between processes;
        the other lists stay empty)."""
        first, step = share
        lists: list[list[tuple[float, int]]] = [[] for _ in self.orgs]
        for v in range(first, len(self.orgs), step):
            scores = np.round(self.scores(v, w), 9)
            keep = np.flatnonzero(scores > 0)
            keep = keep[np.argsort(-scores[keep], kind="stable")][:limit]
            lists[v] = [(float(scores[r]), int(r)) for r in keep]
        return lists

    # -- what is not suggested ----------------------------------------------------------------

    def related(self, v: int) -> list[tuple[int, tuple[Relationship, ...]]]:
        """Organizations `v` already works with, most recent first."""
        found = [(row, self.relationships[(v, row)]) for row in self._related[v]]
        return sorted(found, key=lambda e: (max(r.since for r in e[1]), -e[0]), reverse=True)

    def not_interested(self, v: int) -> list[int]:
        return sorted(self._not_interested[v])

    def blocked(self, v: int, c: int, w: Weights) -> Line | None:
        """Why `c` is never suggested to `v` as a new partner, if a stated fact rules it out."""
        t = self.t
        if c in self._related[v]:
            kinds = sorted({r.kind for r in self.relationships[(v, c)]})
            since = min(r.since for r in self.relationships[(v, c)])
            return Line("existing_relationship", {"kinds": kinds, "since": since})
        if c in self._not_interested[v]:
            return Line("you_not_interested")
        if v in self._not_interested[c]:
            return Line("they_not_interested")
        for investor, company, side in ((c, v, "theirs"), (v, c, "yours")):
            if not t.vehicle[investor] or not t.seeks_investment[company]:
                continue
            code = int(fits.invest(t, np.array([investor]), np.array([company]), w).blocked[0])
            if code:
                name = {
                    1: "funds_not_companies",
                    2: "sector_outside_mandate",
                    3: "country_outside_mandate",
                }
                mandate = self.orgs[investor].mandate
                params = {
                    "countries": sorted(mandate.countries) if mandate else [],
                    "sectors": sorted(mandate.sectors) if mandate else [],
                }
                return Line(f"{name[code]}_{side}", params)
        for taker, giver, side in ((c, v, "they"), (v, c, "you")):
            left = self._left(taker, giver)
            if left:
                return Line(
                    f"{side}_left_all",
                    {"subjects": [e.subject for e in left], "since": max(e.since for e in left)},
                )
            clash = self._competing(taker, giver)
            if clash:
                return Line(f"{side}_compete", {"asset": clash[0], "platform": clash[1]})
        return None

    def ruled_out(self, v: int, w: Weights, limit: int = 5) -> list[int]:
        """Rows a stated fact rules out as partners for `v` (their exit from everything `v`
        offers, a platform competing with `v`'s, an investment mandate that leaves `v` out),
        at most `limit`, found with whole-array checks."""
        t, n = self.t, len(self.orgs)
        out = np.zeros(n, bool)
        if t.seeks_investment[v]:
            out |= fits.invest(t, np.arange(n), np.full(n, v), w).blocked != 0
        items = t.items_by_owner[v]
        if len(items):
            mods = np.bitwise_or.reduce(t.item_mods[items])
            areas = np.bitwise_or.reduce(t.item_areas[items])
            exited = (mods != _ZERO) & ((mods & ~t.excl_mods) == _ZERO)
            exited |= (areas != _ZERO) & ((areas & ~t.excl_areas) == _ZERO)
            classes = np.bitwise_or.reduce(t.item_class[items])
            out |= exited | ((t.classes & classes) != _ZERO)
        if not w.include_same_kind:
            out &= t.kind != t.kind[v]
        out &= self._suggestable(v, None)
        # A partner ruled out in one role may still fit in another: then it is suggested.
        out &= self.scores(v, w) <= 0
        return [int(row) for row in np.flatnonzero(out)[:limit]]

    def _left(self, taker: int, giver: int) -> list[m.Exclusion]:
        """The taker's exclusions that cover everything the giver offers (its open items'
        modalities, or their areas), or nothing when something is left."""
        t = self.t
        items = t.items_by_owner[giver]
        exclusions = self.orgs[taker].exclusions
        if not len(items) or not exclusions:
            return []
        mods, areas = t.item_mods[items], t.item_areas[items]
        mods_out = fits._all_in(mods, np.full(len(items), t.excl_mods[taker]))
        areas_out = fits._all_in(areas, np.full(len(items), t.excl_areas[taker]))
        if not (mods_out | areas_out).all():
            return []
        covered = set(t.modality.decode(int(np.bitwise_or.reduce(mods))))
        covered |= set(t.area.decode(int(np.bitwise_or.reduce(areas))))
        return [
            e
            for e in exclusions
            if covered
            & set(
                t.modality.decode(t.narrower([e.subject], t.modality))
                + t.area.decode(t.narrower([e.subject], t.area))
            )
        ]

    def _competing(self, taker: int, giver: int) -> tuple[str, str] | None:
        """(giver's asset, platform class) when every open asset of the giver with a class
        meets a platform the taker owns, and the giver has nothing else to offer."""
        t = self.t
        items = t.items_by_owner[giver]
        if not len(items):
            return None
        clash = (t.item_class[items] & t.classes[taker]) != _ZERO
        if not clash.any():
            return None
        first = t.items[items[np.flatnonzero(clash)[0]]].asset
        return (first.name, first.platform_class) if first else None

    # -- explaining ---------------------------------------------------------------------------

    def explain(
        self,
        v: int,
        c: int,
        w: Weights,
        item: int | None = None,
        roles: Iterable[str] | None = None,
    ) -> Explanation:
        """Why `c` suits `v` (or does not): the best role, its reasons and their points."""
        t = self.t
        found = self.fits_of(v, w, item)
        value, name = self._best_for(v, c, w, found, roles)
        relationships = self.relationships.get((v, c), ())
        unwanted = c in self._related[v] or c in self._not_interested[v]
        blocked = self.blocked(v, c, w) if value <= 0 or unwanted else None
        if name is None:
            return Explanation(
                0.0,
                None,
                missing=(Line("nothing_in_common", {}, 100.0),),
                blocked=blocked,
                relationships=relationships,
                flags=tuple(self._flags(v, c)),
            )
        intent = self._intent_pair(v, c, name, w)
        role_factor = self._role_factor(name, w)
        feedback = self._feedback_pair(v, c)
        cross_border = t.kr_jp[v] * t.kr_jp[c] == 2
        scale = 100 / (1 + w.cross_border_bonus / 100)
        # Points per unit of fit, before the Korea–Japan bonus.
        unit = scale * intent * role_factor * feedback
        parts = _Parts(unit)
        via = getattr(self, f"_explain_{name}")(v, c, w, parts, item)
        fit = float(found[name][c])
        score = 100 * fit * intent * role_factor * feedback * (1.0 if cross_border else scale / 100)
        if intent < 1:
            lost = scale * fit * (1 - intent) * role_factor * feedback
            parts.lose(self._intent_line(v, c, name), lost)
        if role_factor < 1:
            lost = scale * fit * intent * (1 - role_factor) * feedback
            parts.lose(Line("services_count_less", {"percent": w.services}), lost)
        if feedback < 1:
            lost = scale * fit * intent * role_factor * (1 - feedback)
            declined = [self.orgs[r].key for r in self._declined[v] if self._similar(r, c)]
            code = "lowered_by_your_feedback" if declined else "lowered_by_their_feedback"
            parts.lose(Line(code, {"partners": declined}), lost)
        if cross_border:
            parts.earn(Line("cross_border"), (100 - scale) * fit * intent * role_factor * feedback)
        elif w.cross_border_bonus:
            parts.lose(
                Line("not_cross_border"), (100 - scale) * fit * intent * role_factor * feedback
            )
        if not t.intents[c]:
            parts.unknown.append(Line("their_intents_unknown"))
        return Explanation(
            score=score,
            role=name,
            reasons=parts.sorted(parts.reasons),
            missing=parts.sorted(parts.missing),
            unknown=tuple(parts.unknown),
            flags=tuple(self._flags(v, c)),
            via=via,
            blocked=blocked,
            relationships=relationships,
        )

    def _similar(self, declined: int, c: int) -> bool:
        t = self.t
        return t.kind[declined] == t.kind[c] and bool(t.mods[declined] & t.mods[c])

    def _intent_line(self, v: int, c: int, role: str) -> Line:
        t = self.t
        mine, theirs = self._role_bits[role]
        if t.intents[v] != _ZERO and not (t.intents[v] & mine):
            intents = t.intent.decode(int(t.intents[v]))
            return Line("off_your_intents", {"intents": intents, "role": role})
        intents = t.intent.decode(int(t.intents[c]))
        return Line("off_their_intents", {"intents": intents, "role": MIRROR[role]})

    def _flags(self, v: int, c: int) -> list[Line]:
        """Facts a business developer must see about this pair even when it fits."""
        found = []
        t = self.t
        for taker, giver, side in ((c, v, "they"), (v, c, "you")):
            if not t.classes[taker] and not self.orgs[taker].exclusions:
                continue
            clash = self._competing(taker, giver)
            if clash:
                found.append(Line(f"{side}_compete", {"asset": clash[0], "platform": clash[1]}))
            exclusions = self.orgs[taker].exclusions
            if exclusions:
                giver_mods = int(self.t.mods[giver])
                giver_areas = int(self.t.areas[giver])
                for e in exclusions:
                    if giver_mods & self.t.narrower(
                        [e.subject], self.t.modality
                    ) or giver_areas & self.t.narrower([e.subject], self.t.area):
                        found.append(Line(f"{side}_left", {"subject": e.subject, "since": e.since}))
        return found

    # Each role's explanation fills `parts` and returns the asset it went through, if any.

    def _elements_of(self, v: int, c: int, w: Weights, item, role: str):
        """The element fits of the pair (v, c) in a licensing role, read from what ranking v
        computed: [(value, interest, item, position, fit)]."""
        found = []
        for interests, items, owners, fit, offset in self.fits_of(v, w, item)[ELEMENTS][role]:
            low, high = np.searchsorted(owners, [c, c + 1])
            for at in range(int(low), int(high)):
                value = float(fit.value[offset + at])
                found.append((value, int(interests[at]), int(items[at]), offset + at, fit))
        return found

    def _explain_license(self, v: int, c: int, w, parts, yours: bool, item):
        t = self.t
        elements = self._elements_of(v, c, w, item, "licensee" if yours else "licensor")
        value, i, k, at, fit = max(elements, key=lambda e: e[0])
        best = at
        interest, offered = t.interests[i], t.items[k]
        asset = offered.asset.name if offered.asset else None
        if item is None:
            # Every other item that fits adds a little (fits.with_others).
            per_item: dict[int, float] = {}
            for other_value, _i, other, _at, _fit in elements:
                per_item[other] = max(per_item.get(other, 0.0), other_value)
            others = [(x, t.items[o]) for o, x in per_item.items() if o != k and x > 0]
            summed = value + sum(x for x, _ in others)
            extra = float(fits.with_others(np.array([value]), np.array([summed]))[0]) - value
            names = [o.asset.name if o.asset else "" for _, o in others]
            parts.earn(Line("also_fits", {"assets": [n for n in names if n]}), parts.unit * extra)
        total = w.modality + w.therapeutic_area + w.stage + w.deal or 1.0
        half_known = not (t.int_mods[i] and t.int_areas[i])
        factor = (
            (1.0 if interest.stated else fits.IMPLIED)
            * (fits.TERRITORY_CLASH if fit.territory_clash[best] else 1.0)
            * (fits.HALF_KNOWN if half_known else 1.0)
        )
        # "they_" when the partner is the taker (the viewer gives), "you_" otherwise.
        who = "they" if yours else "you"
        params = {
            "asset": asset,
            "modalities": sorted(interest.modalities),
            "areas": sorted(interest.areas),
            "item_modalities": sorted(offered.modalities),
            "item_areas": sorted(offered.areas),
        }
        verb = "seek" if interest.stated else "focus_on"
        whose = "your" if yours else "their"
        code = f"{who}_{verb}_{whose}_{'asset' if asset else 'work'}"
        science = w.modality * bool(fit.modality[best]) + w.therapeutic_area * bool(fit.area[best])
        parts.earn(Line(code, params), parts.unit * factor * science / total)
        owner = "their" if yours else "your"
        for known, what in ((t.int_mods[i], "modalities"), (t.int_areas[i], "areas")):
            if not known:
                # What not naming it costs: the fit keeps fits.HALF_KNOWN of itself.
                points = parts.unit * float(fit.value[best])
                parts.unknown.append(Line(f"{owner}_interest_{what}_unknown", {}, points))
        stage = float(fit.stage[best])
        window = ladder.STAGE_ORDER[t.int_low[i]] if t.int_low[i] != UNKNOWN else ""
        window_end = ladder.STAGE_ORDER[t.int_high[i]] if t.int_high[i] != UNKNOWN else ""
        item_stage = offered.stage if offered.stage in ladder.STAGE_RANK else ""
        side = "theirs" if yours else "yours"
        sparams = {"asset": asset, "stage": item_stage, "from": window, "to": window_end}
        stage_points = parts.unit * factor * w.stage / total
        if not fit.window_known[best]:
            parts.unknown.append(Line(f"{side}_window_unknown", sparams, stage_points))
        elif not item_stage:
            parts.unknown.append(Line("stage_unknown", sparams, stage_points))
        else:
            distance = fits.stage_distance(
                ladder.STAGE_RANK[item_stage], t.int_low[i], t.int_high[i]
            )
            if stage >= 1:
                parts.earn(Line(f"{side}_window_fits", sparams), stage_points)
            else:
                if stage > 0:
                    parts.earn(
                        Line(f"{side}_window_near", dict(sparams, steps=distance)),
                        stage_points * stage,
                    )
                parts.lose(Line(f"{side}_window_misses", sparams), stage_points * (1 - stage))
        deal_points = parts.unit * factor * w.deal / total
        if not fit.deal_known[best]:
            parts.unknown.append(
                Line(f"{'their' if yours else 'your'}_deals_unknown", {}, deal_points)
            )
        dparams = {
            "asset": asset,
            "wanted": t.deal.decode(int(t.int_deals[i])),
            "offered": sorted(offered.deals),
        }
        if fit.deal[best]:
            matched = sorted(set(dparams["wanted"]) & offered.deals)
            parts.earn(Line(f"{who}_take_deal", dict(dparams, deals=matched)), deal_points)
        elif fit.deal_known[best]:
            parts.lose(Line(f"{who}_want_other_deal", dparams), deal_points)
        if not interest.stated:
            owner = "their" if yours else "your"
            lost = (
                parts.unit
                * (1 - fits.IMPLIED)
                * float(fit.value[best])
                / fits.IMPLIED
                / max(parts.unit, 1e-12)
                * parts.unit
                if fit.value[best]
                else 0.0
            )
            parts.unknown.append(Line(f"{owner}_interest_implied", {}, lost))
        if fit.territory_clash[best]:
            lost = parts.unit * float(fit.value[best]) * (1 / fits.TERRITORY_CLASH - 1)
            tparams = {
                "wanted": sorted(interest.territories),
                "free": sorted(offered.asset.rights) if offered.asset else [],
                "asset": asset,
            }
            parts.lose(Line("territory_clash", tparams), lost)
        return ("yours" if yours else "theirs", asset) if asset else None

    def _explain_licensee(self, v, c, w, parts, item):
        return self._explain_license(v, c, w, parts, True, item)

    def _explain_licensor(self, v, c, w, parts, item):
        return self._explain_license(v, c, w, parts, False, item)

    def _explain_invest(self, investor: int, company: int, w, parts, theirs: bool):
        t = self.t
        fit = fits.invest(t, np.array([investor]), np.array([company]), w)
        science_weight = (w.modality + w.therapeutic_area) * bool(fit.science_applies[0])
        total = w.deal + w.stage + science_weight or 1.0
        side = "they" if theirs else "you"
        sectors = t.sector.decode(int(t.sectors[investor] & t.company_sectors[company]))
        points = parts.unit * w.deal / total
        if fit.sector[0]:
            parts.earn(Line(f"{side}_invest_in_sector", {"sectors": sectors}), points)
        else:
            parts.unknown.append(
                Line(f"{'their' if theirs else 'your'}_sectors_unknown", {}, points)
            )
        stage = float(fit.stage[0])
        low, high = int(t.inv_low[investor]), int(t.inv_high[investor])
        company_stage = ladder.STAGE_ORDER[t.stage[company]] if t.stage[company] != UNKNOWN else ""
        sparams = {
            "asset": None,
            "stage": company_stage,
            "from": ladder.STAGE_ORDER[low] if low != UNKNOWN else "",
            "to": ladder.STAGE_ORDER[high] if high != UNKNOWN else "",
        }
        window = "theirs" if theirs else "yours"
        points = parts.unit * w.stage / total
        if not fit.window_known[0]:
            parts.unknown.append(Line(f"{window}_window_unknown", sparams, points))
        elif not company_stage:
            parts.unknown.append(Line("stage_unknown", sparams, points))
        elif stage >= 1:
            parts.earn(Line(f"{window}_window_fits", sparams), points)
        else:
            if stage > 0:
                parts.earn(Line(f"{window}_window_near", sparams), points * stage)
            parts.lose(Line(f"{window}_window_misses", sparams), points * (1 - stage))
        if science_weight:
            points = parts.unit * science_weight / total
            params = {
                "modalities": t.modality.decode(int(t.mods[company] & t.inv_mods[investor])),
                "areas": t.area.decode(int(t.areas[company] & t.inv_areas[investor])),
            }
            if fit.science[0]:
                parts.earn(Line(f"{side}_invest_in_science", params), points)
            else:
                parts.lose(Line(f"{side}_invest_elsewhere", params), points)
        mandate = self.orgs[investor].mandate
        if mandate and mandate.countries and self.orgs[company].country in mandate.countries:
            parts.notes.append(
                Line(f"{side}_invest_in_country", {"country": self.orgs[company].country})
            )
        return None

    def _explain_investor(self, v, c, w, parts, item):
        return self._explain_invest(c, v, w, parts, True)

    def _explain_investee(self, v, c, w, parts, item):
        return self._explain_invest(v, c, w, parts, False)

    def _explain_fund_pair(self, parent: int, child: int, w, parts, theirs: bool):
        fit = fits.fund(self.t, np.array([parent]), np.array([child]), w)
        side = "they" if theirs else "you"
        half = parts.unit / 2
        if fit.sectors[0]:
            parts.earn(Line(f"{side}_fund_sectors"), half)
        else:
            parts.unknown.append(Line("fund_sectors_unknown", {}, half))
        if fit.country[0]:
            parts.earn(Line(f"{side}_fund_country"), half)
        else:
            parts.unknown.append(Line("fund_country_unknown", {}, half))
        return None

    def _explain_fund(self, v, c, w, parts, item):
        return self._explain_fund_pair(v, c, w, parts, False)

    def _explain_limited_partner(self, v, c, w, parts, item):
        return self._explain_fund_pair(c, v, w, parts, True)

    def _explain_portfolio(self, provider: int, client: int, w, parts, theirs: bool):
        t = self.t
        coverage = float(fits._portfolio_coverage(t, np.array([provider]), np.array([client]))[0])
        portfolio = int(t.portfolio[client])
        covered = portfolio & int(t.cap_covers[provider])
        modalities = t.modality.decode(covered)
        services = sorted(
            c.service
            for c in self.orgs[provider].capabilities
            if c.service in PORTFOLIO_SERVICES and c.modalities & set(modalities)
        )
        appetite = 1.0
        side = "they" if theirs else "you"
        params = {"asset": None, "stage": "", "services": services, "portfolio": modalities}
        code = f"{side}_offer_what_{'you' if theirs else 'they'}_need"
        parts.earn(Line(code, params), parts.unit * coverage * appetite)
        if coverage < 1:
            others = t.modality.decode(portfolio & ~covered)
            code = f"{side}_lack_what_{'you' if theirs else 'they'}_need"
            parts.lose(
                Line(code, {"asset": None, "stage": "", "services": [], "portfolio": others}),
                parts.unit * (1 - coverage) * appetite,
            )
        return None

    def _explain_serve(self, provider: int, client: int, w, parts, theirs: bool):
        t = self.t
        if t.portfolio[client]:
            return self._explain_portfolio(provider, client, w, parts, theirs)
        needs = t.needs[client]
        by_service: dict[str, list[tuple[float, object]]] = {}
        gaps, unknown = [], []
        listed = set(t.service.decode(int(t.cap_unknown[provider])))
        here = bool(fits.reachable(t, np.array([provider]), np.array([client]))[0])
        away: list = []
        for need in needs:
            col = t.service.index.get(need.service)
            if col is None:
                continue
            bit = t.modality.mask([need.modality]) if need.modality else 0
            covered = bool(t.cap_all[provider, col]) or bool(int(t.cap_mods[provider, col]) & bit)
            if covered and need.service in LOCAL_SERVICES and not here:
                away.append(need)
                continue
            if covered:
                by_service.setdefault(need.service, []).append((need.weight, need))
            elif need.service in listed:
                unknown.append(need)
            elif need.weight >= 1:
                gaps.append(need)
        # Each service counts once, by its most pressing need.
        chosen = {s: max(found, key=lambda e: e[0]) for s, found in by_service.items()}
        covered_weight = sum(weight for weight, _ in chosen.values())
        coverage = min(1.0, covered_weight / fits.SERVICE_SATURATION)
        appetite = 1.0
        side = "they" if theirs else "you"
        groups: dict[tuple, list[str]] = {}
        for service, (_weight, need) in chosen.items():
            groups.setdefault((need.asset or "", need.stage), []).append(service)
        for (asset, stage), services in sorted(groups.items()):
            weight = sum(chosen[s][0] for s in services)
            share = weight / covered_weight if covered_weight else 0
            params = {"asset": asset or None, "stage": stage, "services": sorted(services)}
            parts.earn(
                Line(f"{side}_offer_what_{'you' if theirs else 'they'}_need", params),
                parts.unit * coverage * appetite * share,
            )
        if coverage < 1:
            lost = parts.unit * (1 - coverage) * appetite
            lacking = [
                (f"{side}_lack_what_{'you' if theirs else 'they'}_need", g)
                for g in _grouped(gaps).items()
            ]
            lacking += [
                (f"{'you' if theirs else 'they'}_not_looking_abroad", g)
                for g in _grouped(away).items()
            ]
            for code, ((asset, stage), services) in lacking:
                params = {"asset": asset or None, "stage": stage, "services": services}
                parts.lose(Line(code, params), lost / len(lacking))
            if not lacking:
                parts.lose(Line("needs_partly_served"), lost)
            for (asset, stage), services in _grouped(unknown).items():
                params = {"asset": asset or None, "stage": stage, "services": services}
                parts.unknown.append(
                    Line(f"{'their' if theirs else 'your'}_coverage_unknown", params, 0.0)
                )
        return None

    def _explain_provider(self, v, c, w, parts, item):
        return self._explain_serve(c, v, w, parts, True)

    def _explain_client(self, v, c, w, parts, item):
        return self._explain_serve(v, c, w, parts, False)

    def _explain_support(self, giver: int, seeker: int, w, parts, theirs: bool):
        t = self.t
        fit = fits.support(t, np.array([giver]), np.array([seeker]))
        value = float(fit.value[0])
        deals = t.deal.decode(int(fit.matched[0]))
        code = "they_offer_support" if theirs else "you_offer_support"
        parts.earn(Line(code, {"deals": deals}), parts.unit * value)
        others = t.deal.decode(int(t.support_seeks[seeker] & ~fit.matched[0]))
        lost = parts.unit * (1 - value)
        if others:
            code = "they_lack_support_you_seek" if theirs else "you_lack_support_they_seek"
            parts.lose(Line(code, {"deals": others}), lost / 2)
            lost /= 2
        parts.lose(Line("support_counts_less"), lost)
        return None

    def _explain_supporter(self, v, c, w, parts, item):
        return self._explain_support(c, v, w, parts, True)

    def _explain_supported(self, v, c, w, parts, item):
        return self._explain_support(v, c, w, parts, False)

    # -- helpers for the pages ---------------------------------------------------------------

    def items_of(self, v: int) -> list[int]:
        """Rows of `t.items` owned by `v` that are assets (for per-asset suggestions)."""
        return [int(k) for k in self.t.items_by_owner[v] if self.t.items[k].asset is not None]

    def needs(self, v: int) -> set[str]:
        return {need.service for need in self.t.needs[v]}


def _grouped(needs) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], set[str]] = {}
    for need in needs:
        groups.setdefault((need.asset or "", need.stage), set()).add(need.service)
    return {key: sorted(value) for key, value in sorted(groups.items())}


class _Parts:
    """Collects the lines of one explanation, each with its points."""

    def __init__(self, unit: float):
        self.unit = unit
        self.reasons: list[Line] = []
        self.missing: list[Line] = []
        self.unknown: list[Line] = []
        self.notes: list[Line] = []

    def earn(self, line: Line, points: float) -> None:
        if points > 1e-9:
            self.reasons.append(Line(line.code, line.params, points))

    def lose(self, line: Line, points: float) -> None:
        if points > 1e-9:
            self.missing.append(Line(line.code, line.params, points))

    @staticmethod
    def sorted(lines: list[Line]) -> tuple[Line, ...]:
        return tuple(sorted(lines, key=lambda line: -line.points))


def merge_tops(parts: Sequence[list[list[tuple[float, int]]]], limit: int = 10):
    """Combine the lists of `Engine.top_for_all` calls that shared the work."""
    return [
        heapq.nsmallest(
            limit, (e for part in parts for e in part[row]), key=lambda e: (-e[0], e[1])
        )
        for row in range(len(parts[0]))
    ]
