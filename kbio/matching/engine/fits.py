"""The fits: how well one side's offer meets the other side's want, for arrays of pairs.

Every function takes index arrays of equal length (the pairs to judge) and returns the value
of each pair (0–1) with the parts it is made of. Ranking one organization, ranking everyone,
and explaining one pair all call these same functions; only the pairs differ.

The roles a partner can play, and the fit behind each:

* licensing, co-development, research: `license` — an interest of the taker (modalities ×
  areas × stage window × deals) against an item of the giver (an open asset or a platform);
* investment: `invest` — the investor's mandate (direct, sectors, countries, stage window,
  science) against a company that seeks investment; `fund` — a fund of funds and a fund;
* services: `serve` — the provider's capabilities, per modality, against what the next
  milestone of the client's own programmes needs;
* support: `support` — grants, lab space, market entry and the like, offered and sought.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Weights
from .tables import UNKNOWN, Tables

# Credit for a stage inside a window, one step outside it, two steps outside.
STAGE_CREDIT = np.array([1.0, 0.5, 0.25, 0.0])
# An interest read from a profile rather than stated counts for less.
IMPLIED = 0.75
# An interest that names only areas (or only modalities): on its own never enough to reach
# the lowest suggested score.
HALF_KNOWN = 0.4
# Every further asset a partner would take adds this share of its own fit, up to ALSO_MOST:
# two assets that fit make a better meeting than one.
ALSO = 0.1
ALSO_MOST = 0.15
# Rights offered and wanted in different territories.
TERRITORY_CLASH = 0.75
# Needed-service weight at which a provider scores full marks (e.g. GLP toxicology and
# pharmacology for a preclinical asset; one critical service alone is half of it).
SERVICE_SATURATION = 2.0
# A pharma outsourcing work on this many of its modalities counts as fully served.
BREADTH = 2

# Support (a grant, lab space, market entry) helps, but is rarely what a meeting is for:
# one matched kind of support is worth less than a partner's fit.
SUPPORT_FIRST = 0.45
SUPPORT_MORE = 0.15
SUPPORT_MOST = 0.75

_ZERO = np.uint64(0)


def stage_credit(stage: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Credit of stages against windows (0 where either is unknown)."""
    known = ((low != UNKNOWN) | (high != UNKNOWN)) & (stage != UNKNOWN)
    first = np.where(low != UNKNOWN, low, 0)
    last = np.where(high != UNKNOWN, high, 99)
    distance = np.maximum(0, np.maximum(first - stage, stage - last))
    return np.where(known, STAGE_CREDIT[np.minimum(distance, 3)], 0.0)


def with_others(best: np.ndarray, total: np.ndarray) -> np.ndarray:
    """A fit through its best item, plus a little for every other item that fits."""
    return np.minimum(1.0, best + np.minimum(ALSO_MOST, ALSO * (total - best)))


def stage_distance(stage: int, low: int, high: int) -> int:
    first = low if low != UNKNOWN else 0
    last = high if high != UNKNOWN else 99
    return max(0, first - stage, stage - last)


def _all_in(masks: np.ndarray, within: np.ndarray) -> np.ndarray:
    """Masks that are not empty and lie wholly within `within`."""
    return (masks != _ZERO) & ((masks & ~within) == _ZERO)


@dataclass
class LicenseFit:
    value: np.ndarray
    modality: np.ndarray  # bool: the item's modality is one the interest takes
    area: np.ndarray  # bool
    excluded: np.ndarray  # bool: the taker has left the item's modality or area
    competitor: np.ndarray  # bool: the taker owns a platform of the item's class
    stage: np.ndarray  # credit 0–1
    window_known: np.ndarray  # bool
    deal: np.ndarray  # bool
    deal_known: np.ndarray  # bool
    territory_clash: np.ndarray  # bool


def license(t: Tables, interest: np.ndarray, item: np.ndarray, w: Weights) -> LicenseFit:
    """Interest `interest[k]` (of the taker) against item `item[k]` (of the giver)."""
    taker = t.int_owner[interest]
    giver = t.item_owner[item]
    item_mods, item_areas = t.item_mods[item], t.item_areas[item]
    wanted_mods, wanted_areas = t.int_mods[interest], t.int_areas[interest]
    mods_known, areas_known = wanted_mods != _ZERO, wanted_areas != _ZERO
    modality = (item_mods & wanted_mods) != _ZERO
    area = (item_areas & wanted_areas) != _ZERO
    # What is named must match, modality and area together; what is not named earns nothing.
    # An interest read from a profile (not stated) must name both: a broad label alone ("ageing")
    # is no interest.
    stated = t.int_stated[interest]
    science = (modality | ~mods_known) & (area | ~areas_known) & (mods_known | areas_known)
    science &= stated | (mods_known & areas_known)
    excluded = _all_in(item_mods, t.excl_mods[taker]) | _all_in(item_areas, t.excl_areas[taker])
    competitor = (t.item_class[item] & t.classes[taker]) != _ZERO
    low, high = t.int_low[interest], t.int_high[interest]
    stage = stage_credit(t.item_stage[item], low, high)
    window_known = (low != UNKNOWN) | (high != UNKNOWN)
    deal = (t.item_deals[item] & t.int_deals[interest]) != _ZERO
    # A deal the taker states and the giver does not offer rules the item out; a taker that
    # states no deal (a pharma read from its focus) only misses the deal's points.
    deal_known = t.int_deals[interest] != _ZERO
    wanted, free = t.int_terr[interest], t.item_rights[item]
    territory_clash = (wanted != _ZERO) & (free != _ZERO) & ((wanted & free) == _ZERO)
    # An asset offered for a partner to take over can only be taken over: a research
    # interest is no buyer for it. For the rest a deal that differs only costs its points.
    strict = t.item_strict[item] & deal_known
    fits = science & ~excluded & ~competitor & (deal | ~strict) & (taker != giver)
    total = w.modality + w.therapeutic_area + w.stage + w.deal or 1.0
    base = (
        w.modality * modality + w.therapeutic_area * area + w.stage * stage + w.deal * deal
    ) / total
    base = base * np.where(stated, 1.0, IMPLIED)
    # An interest that names an area but no modality (or the reverse) says half of what it
    # takes: "oncology" alone is a broad label, not a reason to meet.
    base = base * np.where(mods_known & areas_known, 1.0, HALF_KNOWN)
    base = base * np.where(territory_clash, TERRITORY_CLASH, 1.0)
    return LicenseFit(
        np.where(fits, base, 0.0),
        modality,
        area,
        excluded,
        competitor,
        stage,
        window_known,
        deal,
        deal_known,
        territory_clash,
    )


@dataclass
class InvestFit:
    value: np.ndarray
    blocked: np.ndarray  # int8: 0 no, 1 funds only, 2 sectors outside, 3 country outside
    sector: np.ndarray  # bool: its mandate names a sector the company is in
    stage: np.ndarray
    window_known: np.ndarray
    science_applies: np.ndarray
    science: np.ndarray


def invest(t: Tables, investor: np.ndarray, company: np.ndarray, w: Weights) -> InvestFit:
    """Investor `investor[k]` putting money into company `company[k]`."""
    vehicle = t.vehicle[investor]
    bit = np.left_shift(np.uint64(1), (t.country[company] % 64).astype(np.uint64))
    allowed = t.allowed[investor]
    country_out = (allowed != _ZERO) & ((allowed & bit) == _ZERO)
    stated = t.bio[investor] == 1
    sector = stated & ((t.sectors[investor] & t.company_sectors[company]) != _ZERO)
    blocked = np.select([vehicle == 2, stated & ~sector, country_out], [1, 2, 3], default=0).astype(
        np.int8
    )
    takes = (vehicle != 0) & t.seeks_investment[company] & (investor != company)
    low, high = t.inv_low[investor], t.inv_high[investor]
    stage = stage_credit(t.stage[company], low, high)
    window_known = (low != UNKNOWN) | (high != UNKNOWN)
    inv_mods, inv_areas = t.inv_mods[investor], t.inv_areas[investor]
    science_applies = (inv_mods != _ZERO) | (inv_areas != _ZERO)
    mods_ok = (inv_mods == _ZERO) | ((t.mods[company] & inv_mods) != _ZERO)
    areas_ok = (inv_areas == _ZERO) | ((t.areas[company] & inv_areas) != _ZERO)
    science = mods_ok & areas_ok
    science_weight = (w.modality + w.therapeutic_area) * science_applies
    total = w.deal + w.stage + science_weight
    value = (w.deal * sector + w.stage * stage + science_weight * science) / np.where(
        total > 0, total, 1.0
    )
    return InvestFit(
        np.where(takes & (blocked == 0), value, 0.0),
        np.where(takes, blocked, 0).astype(np.int8),
        sector,
        stage,
        window_known,
        science_applies,
        science,
    )


@dataclass
class FundFit:
    value: np.ndarray
    sectors: np.ndarray  # bool: the two mandates share a sector
    country: np.ndarray  # bool: the fund is in, or invests in, a country the other funds


def fund(t: Tables, parent: np.ndarray, child: np.ndarray, w: Weights) -> FundFit:
    """A fund of funds `parent[k]` committing to the fund `child[k]`."""
    gives = np.isin(t.vehicle[parent], (2, 3))
    takes = np.isin(t.vehicle[child], (1, 3)) & (parent != child)
    sectors = (t.sectors[parent] & t.sectors[child]) != _ZERO
    bit = np.left_shift(np.uint64(1), (t.country[child] % 64).astype(np.uint64))
    allowed = t.allowed[parent]
    country = (allowed != _ZERO) & (
        ((allowed & bit) != _ZERO) | ((allowed & t.allowed[child]) != _ZERO)
    )
    value = (sectors.astype(float) + country) / 2
    return FundFit(np.where(gives & takes, value, 0.0), sectors, country)


@dataclass
class ServeFit:
    value: np.ndarray  # 0–1: the share of the client's needs the provider covers


def _portfolio_coverage(t: Tables, provider, client) -> np.ndarray:
    """Share of a pharma's modalities (up to two) that a provider's capabilities name. It is
    read from the portfolio, not from a need the pharma states, so it counts IMPLIED of it."""
    portfolio = t.portfolio[client]
    covered = portfolio & t.cap_covers[provider]
    wanted = np.minimum(np.bitwise_count(portfolio), BREADTH).astype(float)
    share = np.minimum(1.0, np.bitwise_count(covered) / np.maximum(wanted, 1))
    # Across a border, only a provider that has worked with the pharma's own regulator.
    home = t.home_regulator[client]
    abroad = t.country[provider] != t.country[client]
    qualified = ~abroad | ((t.cap_regulators[provider] & home) != _ZERO)
    return np.where((wanted > 0) & qualified, IMPLIED * share, 0.0)


def reachable(t: Tables, provider, client) -> np.ndarray:
    """Needs a provider can serve where it is: clinical, regulatory and market-entry work is
    done in the provider's country, so it counts abroad only for a client that says it looks
    abroad (seeks market entry, a clinical site or regulatory support)."""
    return (t.country[provider] == t.country[client]) | t.abroad[client]


def serve_many_clients(t: Tables, provider: int, w: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Coverage (0–1) of every organization's needs by one provider, and the rows."""
    n = len(t.orgs)
    if not t.provider[provider]:
        return np.zeros(n), np.zeros(n, bool)
    coverage = _portfolio_coverage(t, np.full(n, provider), np.arange(n))
    if len(t.need_owner):
        covered = t.cap_all[provider, t.need_service] | (
            (t.cap_mods[provider, t.need_service] & t.need_mod) != _ZERO
        )
        covered &= ~t.need_local | reachable(t, provider, t.need_owner)
        # Each service counts once per client, by its most pressing need: the needs are
        # grouped by (client, service) once, in Tables.
        values = (t.need_weight * covered)[t.need_order]
        per_service = np.maximum.reduceat(values, t.need_group_starts)
        developers = np.bincount(t.need_group_owner, weights=per_service, minlength=n)
        coverage = np.maximum(coverage, np.minimum(1.0, developers / SERVICE_SATURATION))
    return coverage, t.has_needs.copy()


def serve_many_providers(t: Tables, client: int) -> np.ndarray:
    """Coverage (0–1) of one client's needs by every organization."""
    n = len(t.orgs)
    if t.portfolio[client]:
        coverage = _portfolio_coverage(t, np.arange(n), np.full(n, client))
        return np.where(t.provider, coverage, 0.0)
    rows = t.needs_by_owner[client]
    if not len(rows):
        return np.zeros(n)
    providers = t.providers
    here = reachable(t, providers, np.full(len(providers), client))
    per_service: dict[int, np.ndarray] = {}
    for k in rows:
        s = t.need_service[k]
        covered = t.cap_all[providers, s] | ((t.cap_mods[providers, s] & t.need_mod[k]) != _ZERO)
        if t.need_local[k]:
            covered &= here
        value = t.need_weight[k] * covered
        per_service[s] = np.maximum(per_service.get(s, 0.0), value)
    out = np.zeros(n)
    out[providers] = np.minimum(1.0, sum(per_service.values()) / SERVICE_SATURATION)
    return out


def serve(t: Tables, provider: np.ndarray, client: np.ndarray, coverage: np.ndarray) -> ServeFit:
    """Provider `provider[k]` serving client `client[k]`, whose needs it covers by
    `coverage[k]`."""
    ok = t.provider[provider] & t.has_needs[client] & (provider != client)
    return ServeFit(np.where(ok, coverage, 0.0))


@dataclass
class SupportFit:
    value: np.ndarray
    matched: np.ndarray  # uint64: the support deals offered and sought


def support(t: Tables, giver: np.ndarray, seeker: np.ndarray) -> SupportFit:
    """Supporter `giver[k]` offering what `seeker[k]` seeks (grants only at home)."""
    matched = t.support_offers[giver] & t.support_seeks[seeker]
    abroad = t.country[giver] != t.country[seeker]
    matched = np.where(abroad, matched & ~t.domestic_support, matched)
    count = np.bitwise_count(matched).astype(np.int64)
    value = np.where(
        (count > 0) & (giver != seeker),
        np.minimum(SUPPORT_MOST, SUPPORT_FIRST + SUPPORT_MORE * (count - 1)),
        0.0,
    )
    return SupportFit(value, matched)
