"""The directory as arrays: one row per organization, per offered item (an asset open to
partners, or an organization's platform), per interest, per service need.

Slugs become bits of 64-bit masks, one space per vocabulary (modalities, therapeutic areas,
services, partnership types, territories, intents, countries, platform classes), so that a
fit of one row against thousands is a few whole-array operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kbio.lib import stages as ladder

from . import model as m
from .model import Org, Taxonomy

UNKNOWN = -1
TOP = len(ladder.STAGE_ORDER) - 1

# What the next milestone of an asset at each stage needs from a service provider, with how
# pressing it is (1 = on the critical path, 0.5 = usually needed).
_DISCOVERY_NEEDS = {
    "discovery-screening": 1.0,
    "pharmacology-efficacy": 1.0,
    "dmpk-bioanalysis": 0.5,
}
_CLINICAL_NEEDS = {
    "clinical-operations": 1.0,
    "regulatory-consulting": 1.0,
    "dmpk-bioanalysis": 0.5,
}
STAGE_NEEDS: dict[str, dict[str, float]] = {
    "discovery": _DISCOVERY_NEEDS,
    "lead_optimization": _DISCOVERY_NEEDS,
    "preclinical": {
        "glp-toxicology": 1.0,
        "pharmacology-efficacy": 1.0,
        "dmpk-bioanalysis": 0.5,
        "regulatory-consulting": 0.5,
    },
    "ind_cleared": _CLINICAL_NEEDS,
    "phase_1": _CLINICAL_NEEDS,
    "phase_1_2": _CLINICAL_NEEDS,
    "phase_2": _CLINICAL_NEEDS,
    "phase_2_3": _CLINICAL_NEEDS,
    "phase_3": _CLINICAL_NEEDS,
    "filed": {"regulatory-consulting": 1.0, "market-entry-commercial": 1.0},
    "approved": {"market-entry-commercial": 1.0, "regulatory-consulting": 0.5},
}
# Cell and gene therapies live or die by their manufacturing; biologics need GMP supply.
# Needed from preclinical on: a discovery programme buys no GMP batches yet.
_CELL_AND_GENE_NEEDS = {"cmc-manufacturing": 1.0, "materials-media": 0.5}
_BIOLOGIC_NEEDS = {"cmc-manufacturing": 0.5}
MODALITY_NEEDS: dict[str, dict[str, float]] = {
    "ipsc-cell-therapy": _CELL_AND_GENE_NEEDS,
    "msc-cell-therapy": _CELL_AND_GENE_NEEDS,
    "immune-cell-therapy": _CELL_AND_GENE_NEEDS,
    "gene-therapy": _CELL_AND_GENE_NEEDS,
    "gene-editing": _CELL_AND_GENE_NEEDS,
    "organoid": _CELL_AND_GENE_NEEDS,
    "exosome-ev": _CELL_AND_GENE_NEEDS,
    "antibody": _BIOLOGIC_NEEDS,
    "adc": _BIOLOGIC_NEEDS,
    "rna-therapeutics": _BIOLOGIC_NEEDS,
    "vaccine": _BIOLOGIC_NEEDS,
}
_MANUFACTURING_STAGES = frozenset(
    ladder.STAGE_ORDER[ladder.STAGE_RANK["preclinical"] : ladder.STAGE_RANK["approved"]]
)
# Territories that include others.
_WIDER_TERRITORIES = {
    "worldwide": ("japan", "korea", "china", "asia", "us", "europe"),
    "asia": ("japan", "korea", "china"),
}


class Vocab:
    """Stable bit positions for up to 64 codes."""

    def __init__(self, codes: Iterable[str], what: str):
        ordered = sorted(set(codes))
        if len(ordered) > 64:
            raise ValueError(f"More than 64 {what}: the matching masks hold 64 bits.")
        self.codes = ordered
        self.index = {code: i for i, code in enumerate(ordered)}

    def __len__(self) -> int:
        return len(self.codes)

    def mask(self, codes: Iterable[str]) -> int:
        value = 0
        for code in codes:
            i = self.index.get(code)
            if i is not None:
                value |= 1 << i
        return value

    def decode(self, value: int) -> list[str]:
        value = int(value)
        return [code for i, code in enumerate(self.codes) if value >> i & 1]


@dataclass(frozen=True)
class Need:
    service: str
    weight: float
    modality: str  # "" when the programme names no modality
    asset: str | None  # None: the organization's lead programme
    stage: str
    because: str  # "stage", "modality" or "portfolio"


# What seeking a deal says an organization came for.
_SOUGHT_INTENTS = {
    "cro-services": "providers",
    "cdmo-manufacturing": "providers",
    "equity-investment": "investors",
    "co-development": "co_development",
    "joint-research": "research",
    "technology-transfer": "research",
    **dict.fromkeys(m.SUPPORT_DEALS, "support"),
}


def intents_of(org: Org) -> frozenset[str]:
    """What an organization comes to partnering for: what it says, and what it seeks. None
    when it says neither (then no role counts for less)."""
    sought = {_SOUGHT_INTENTS[d] for d in org.seeks if d in _SOUGHT_INTENTS}
    if org.kind == m.PHARMA and org.seeks & {"licensing", "m-and-a"}:
        sought.add("assets")
    return frozenset(org.intents) | sought


def sectors_of(org: Org, modalities: frozenset[str]) -> set[str]:
    """The investment sectors a company belongs to."""
    if org.kind == m.INVESTOR or org.kind == m.AGENCY:
        return set()
    found = {"life_sciences"}
    if "ai-drug-discovery" in modalities:
        found.add("ai")
    return found


def needs_of(org: Org, taxonomy: Taxonomy) -> list[Need]:
    """What the next milestone of each programme an organization develops itself needs.

    Only developers (ventures, academic groups) have such needs; an asset licensed out or
    handed off is developed by someone else. A pharma's pipeline is its own business: what
    it buys from providers is read from its modalities (`portfolio_of`), not its assets."""
    if org.kind not in m.DEVELOPER_KINDS:
        return []
    found: list[Need] = []
    own = [a for a in org.assets if a.direction in m.SELF_DEVELOPED and a.stage in STAGE_NEEDS]
    if own:
        programmes = [(a.name, a.stage, [a.modality]) for a in own]
    elif org.lead_stage in STAGE_NEEDS:
        modalities = sorted(taxonomy.of_kind(org.focus_areas, m.MODALITY)) or [""]
        programmes = [(None, org.lead_stage, modalities)]
    else:
        return []
    for asset, stage, modalities in programmes:
        for modality in modalities:
            for service, weight in STAGE_NEEDS[stage].items():
                found.append(Need(service, weight, modality, asset, stage, "stage"))
            if stage in _MANUFACTURING_STAGES:
                for service, weight in MODALITY_NEEDS.get(modality, {}).items():
                    found.append(Need(service, weight, modality, asset, stage, "modality"))
    return found


# Work done where the provider is: a Japanese CRO runs Japanese trials.
LOCAL_SERVICES = ("clinical-operations", "regulatory-consulting", "market-entry-commercial")
# Seeking these says an organization looks to another country.
ABROAD_DEALS = ("market-entry", "clinical-site", "regulatory-support")

# What a pharma's portfolio buys from a partner met at such an event: manufacturing capacity
# for its modalities, and discovery work. Its safety studies and trials go to the providers it
# already runs them with.
PORTFOLIO_SERVICES = (
    "discovery-screening",
    "pharmacology-efficacy",
    "dmpk-bioanalysis",
    "cmc-manufacturing",
)


def portfolio_of(org: Org, taxonomy: Taxonomy) -> frozenset[str]:
    """The modalities a pharma works on (and has not left): what it outsources work on."""
    if org.kind != m.PHARMA:
        return frozenset()
    modalities = taxonomy.of_kind(org.focus_areas, m.MODALITY)
    modalities |= {s for i in org.interests for s in i.modalities}
    return frozenset(modalities - {e.subject for e in org.exclusions})


def science(org: Org, taxonomy: Taxonomy) -> tuple[frozenset[str], frozenset[str]]:
    """The modalities and therapeutic areas an organization works on. A developer's pipeline
    is its science; a pharma's listed assets may be ones it hands on (Takeda's cell-therapy
    platform), so only its focus areas count."""
    slugs = set(org.focus_areas)
    if org.kind in m.DEVELOPER_KINDS:
        for asset in org.assets:
            slugs.add(asset.modality)
            slugs.update(asset.areas)
    return taxonomy.of_kind(slugs, m.MODALITY), taxonomy.of_kind(slugs, m.THERAPEUTIC_AREA)


def programme_stage(org: Org) -> str:
    """The stage of the most advanced programme a developer takes forward itself, or of its
    lead; "" for organizations without one."""
    ranks = [
        ladder.STAGE_RANK[a.stage]
        for a in org.assets
        if a.direction in m.SELF_DEVELOPED and a.stage in ladder.STAGE_RANK
    ]
    if ranks:
        return ladder.STAGE_ORDER[max(ranks)]
    if org.kind in m.DEVELOPER_KINDS and org.lead_stage in ladder.STAGE_RANK:
        return org.lead_stage
    return ""


def window(codes: Iterable[str]) -> tuple[int, int]:
    """(from, to) ranks of a set of ladder stages; UNKNOWN when none."""
    ranks = [ladder.STAGE_RANK[c] for c in codes if c in ladder.STAGE_RANK]
    return (min(ranks), max(ranks)) if ranks else (UNKNOWN, UNKNOWN)


def implied_interest(org: Org, taxonomy: Taxonomy) -> m.Interest | None:
    """What an organization that states no interest but seeks partnering deals looks for,
    read from its profile: its focus areas, stage window and the deals it seeks. Whatever it
    does not name is unknown, not "any"."""
    deals = org.seeks & m.PARTNER_DEALS
    if org.kind not in m.TAKER_KINDS or (not deals and org.kind != m.PHARMA):
        return None
    # A pharma takes assets on in its field even when it has not said so; the deal it
    # wants is then unknown.
    modalities, areas = science(org, taxonomy)
    low, high = window(org.preferred_stages)
    return m.Interest(
        label="",
        modalities=modalities,
        areas=areas,
        stage_from=ladder.STAGE_ORDER[low] if low != UNKNOWN else "",
        stage_to=ladder.STAGE_ORDER[high] if high != UNKNOWN else "",
        deals=deals,
        stated=False,
    )


def interests_of(org: Org, taxonomy: Taxonomy) -> tuple[m.Interest, ...]:
    """The interests an organization in-licenses, co-develops or researches by. An
    investor's interests say what it invests in and are read by the investment fit."""
    if org.kind not in m.TAKER_KINDS:
        return ()
    if org.interests:
        # An interest stated only for investment is the investor side's business.
        return tuple(i for i in org.interests if not i.deals or i.deals & m.PARTNER_DEALS)
    implied = implied_interest(org, taxonomy)
    return (implied,) if implied else ()


def within_focus(interest: m.Interest, science: tuple[frozenset, frozenset]) -> m.Interest:
    """A stated interest that names no modality (or area) means the organization's own
    modalities (areas): "oncology" from an ADC company is ADCs in oncology, not any modality
    in oncology. When the organization names none either, the modality is not known."""
    modalities, areas = science
    if not interest.stated:
        return interest
    return replace(
        interest,
        modalities=interest.modalities or modalities,
        areas=interest.areas or areas,
    )


@dataclass(frozen=True)
class Item:
    """Something a partner can take on: an open asset, or the organization's own platform
    (its science, for joint research, co-development or a platform licence)."""

    asset: m.Asset | None
    modalities: frozenset[str]
    areas: frozenset[str]
    stage: str
    deals: frozenset[str]


def items_of(org: Org, taxonomy: Taxonomy) -> list[Item]:
    found = [
        Item(a, frozenset({a.modality}), a.areas, a.stage, m.DIRECTION_DEALS[a.direction])
        for a in org.assets
        if a.is_open
    ]
    # Its own science, for research and co-development; and for a licence when no listed
    # asset is open (a platform company). A pharma's science is its interests, not an offer.
    platform_deals = (org.offers | org.seeks) & m.RESEARCH_DEALS
    if not found:
        platform_deals |= org.offers & {"licensing", "m-and-a"}
    if (org.kind == m.PHARMA and found) or not platform_deals or org.kind == m.INVESTOR:
        return found
    own = science(org, taxonomy)
    stated = [within_focus(i, own) for i in org.interests if i.stated]
    if stated:
        # What it looks for is what it works on, combination by combination: Astellas's
        # gene therapy is for the eye, not for its oncology work.
        for interest in stated:
            if interest.modalities or interest.areas:
                deals = platform_deals & (interest.deals or platform_deals)
                if deals:
                    found.append(Item(None, interest.modalities, interest.areas, "", deals))
        return found
    modalities, areas = own
    if modalities or areas:
        found.append(Item(None, modalities, areas, programme_stage(org), platform_deals))
    return found


class Tables:
    """Every organization's rows, ready for whole-array fits."""

    def __init__(self, orgs: Sequence[Org], taxonomy: Taxonomy):
        self.orgs = list(orgs)
        self.taxonomy = taxonomy
        n = len(self.orgs)
        by_kind: dict[str, list[str]] = {}
        for slug, kind in taxonomy.kinds.items():
            by_kind.setdefault(kind, []).append(slug)
        self.modality = Vocab(by_kind.get(m.MODALITY, ()), "modalities")
        self.area = Vocab(by_kind.get(m.THERAPEUTIC_AREA, ()), "therapeutic areas")
        self.service = Vocab(by_kind.get(m.SERVICE, ()), "services")
        deal_codes = {d for o in self.orgs for d in o.seeks | o.offers}
        deal_codes |= m.PARTNER_DEALS | m.SERVICE_DEALS | m.SUPPORT_DEALS | {m.INVESTMENT}
        deal_codes |= {d for o in self.orgs for i in o.interests for d in i.deals}
        self.deal = Vocab(deal_codes, "partnership types")
        self.territory = Vocab(
            ["worldwide", "japan", "korea", "china", "asia", "us", "europe"], "territories"
        )
        self.intent = Vocab(m.INTENTS, "intents")
        self.countries = sorted({o.country for o in self.orgs})
        self.country_index = {c: i for i, c in enumerate(self.countries)}
        classes = sorted(
            {a.platform_class for o in self.orgs for a in o.assets if a.platform_class}
        )
        # More than 64 classes share bits (a rare false "competitor" flag, never a miss).
        self.class_bit = {c: 1 << (i % 64) for i, c in enumerate(classes)}
        self._modality_reach = [self._reach(s, self.modality) for s in self.modality.codes]
        self._area_reach = [self._reach(s, self.area) for s in self.area.codes]

        u64 = np.uint64
        self.kind_names = sorted({o.kind for o in self.orgs} | {m.INVESTOR})
        kind_code = {k: i for i, k in enumerate(self.kind_names)}
        self.kind = np.array([kind_code[o.kind] for o in self.orgs], dtype=np.int16)
        self.kr_jp = np.array([{"KR": 1, "JP": 2}.get(o.country, 0) for o in self.orgs], np.int8)
        self.country = np.array([self.country_index[o.country] for o in self.orgs], np.int64)
        self.intents = np.array([self.intent.mask(intents_of(o)) for o in self.orgs], u64)
        self.seeks = np.array([self.deal.mask(o.seeks) for o in self.orgs], u64)
        self.offers = np.array([self.deal.mask(o.offers) for o in self.orgs], u64)
        self.science = [science(o, taxonomy) for o in self.orgs]
        self.mods = np.array([self.modality.mask(s[0]) for s in self.science], u64)
        self.areas = np.array([self.area.mask(s[1]) for s in self.science], u64)
        self.excl_mods = np.array([self._excluded(o, self.modality) for o in self.orgs], u64)
        self.excl_areas = np.array([self._excluded(o, self.area) for o in self.orgs], u64)
        self.classes = np.array(
            [self._classes(a for a in o.assets if not a.is_open) for o in self.orgs], u64
        )
        stage = [programme_stage(o) for o in self.orgs]
        self.stage = np.array([ladder.STAGE_RANK.get(s, UNKNOWN) for s in stage], np.int16)
        support = self.deal.mask(m.SUPPORT_DEALS)
        self.support_offers = self.offers & u64(support)
        self.support_seeks = self.seeks & u64(support)
        self.domestic_support = u64(self.deal.mask(m.DOMESTIC_SUPPORT))
        self._investors(n)
        self._services(n)
        self._items()
        self._interests()
        # The rows that can play each role, so that a fit is computed only where it can apply.
        self.providers = np.flatnonzero(self.provider)
        # Needs grouped by (owner, service), for "each service once, by its top need".
        self.need_order = np.lexsort((self.need_service, self.need_owner))
        owner, service = self.need_owner[self.need_order], self.need_service[self.need_order]
        first = np.r_[True, (owner[1:] != owner[:-1]) | (service[1:] != service[:-1])]
        self.need_group_starts = np.flatnonzero(first) if len(owner) else np.zeros(0, np.int64)
        self.need_group_owner = owner[self.need_group_starts]
        self.needs_by_owner = _groups(self.need_owner, len(self.orgs))
        self.investors = np.flatnonzero(self.vehicle != 0)
        self.investees = np.flatnonzero(self.seeks_investment)
        self.supporters = np.flatnonzero(self.support_offers != np.uint64(0))
        self.support_seekers = np.flatnonzero(self.support_seeks != np.uint64(0))

    # -- building -----------------------------------------------------------------------------

    def _reach(self, slug: str, vocab: Vocab) -> int:
        return vocab.mask(self.taxonomy.related(slug))

    def reach(self, value: int, vocab: Vocab) -> int:
        """A mask and everything broader or narrower than its bits."""
        related = self._modality_reach if vocab is self.modality else self._area_reach
        out = 0
        for i in range(len(vocab)):
            if value >> i & 1:
                out |= related[i]
        return out

    def narrower(self, slugs: Iterable[str], vocab: Vocab) -> int:
        """A mask of the slugs and everything under them (excluding oncology excludes
        immuno-oncology, not the reverse)."""
        found = set()
        for slug in slugs:
            for other in vocab.codes:
                if slug in self._ancestors(other):
                    found.add(other)
        return vocab.mask(found)

    def _ancestors(self, slug: str) -> set[str]:
        found = {slug}
        parent = self.taxonomy.parents.get(slug)
        while parent and parent not in found:
            found.add(parent)
            parent = self.taxonomy.parents.get(parent)
        return found

    def _excluded(self, org: Org, vocab: Vocab) -> int:
        return self.narrower((e.subject for e in org.exclusions), vocab)

    def _classes(self, assets: Iterable[m.Asset]) -> int:
        value = 0
        for asset in assets:
            value |= self.class_bit.get(asset.platform_class, 0)
        return value

    def territories(self, codes: Iterable[str]) -> int:
        expanded = set(codes)
        for code in list(expanded):
            expanded.update(_WIDER_TERRITORIES.get(code, ()))
        return self.territory.mask(expanded)

    def _investors(self, n: int) -> None:
        vehicle = np.zeros(n, np.int8)  # 0 not an investor, 1 direct, 2 fund of funds, 3 both
        bio = np.full(n, UNKNOWN, np.int8)  # 1 when its mandate names sectors, -1 when not
        sectors = np.zeros(n, np.uint64)
        allowed = np.zeros(n, np.uint64)  # countries it invests in (0: not limited)
        low = np.full(n, UNKNOWN, np.int16)
        high = np.full(n, UNKNOWN, np.int16)
        inv_mods = np.zeros(n, np.uint64)
        inv_areas = np.zeros(n, np.uint64)
        investment = self.deal.mask([m.INVESTMENT])
        sector_vocab = Vocab(
            ["life_sciences", "medtech", "digital_health", "ai", "software", "ecommerce"]
            + ["blockchain", "generalist"],
            "sectors",
        )
        self.sector = sector_vocab
        # The sectors a company is in: every developer and provider is in life sciences, and
        # one that discovers drugs with AI is an AI company too.
        self.company_sectors = np.array(
            [
                sector_vocab.mask(sectors_of(o, self.science[row][0]))
                for row, o in enumerate(self.orgs)
            ],
            np.uint64,
        )
        for row, org in enumerate(self.orgs):
            mandate = org.mandate
            if mandate is not None:
                vehicle[row] = {m.DIRECT: 1, m.FUND_OF_FUNDS: 2, m.BOTH: 3}.get(mandate.vehicle, 1)
                if mandate.sectors:
                    bio[row] = 1
                    # A generalist shares a sector with anyone.
                    wide = sector_vocab.codes if "generalist" in mandate.sectors else ()
                    sectors[row] = sector_vocab.mask([*mandate.sectors, *wide])
                for country in mandate.countries:
                    if country in self.country_index:
                        allowed[row] |= np.uint64(1 << (self.country_index[country] % 64))
                    else:
                        allowed[row] |= np.uint64(1 << 63)  # somewhere not in the directory
            elif int(self.offers[row]) & investment:
                vehicle[row] = 1
            if not vehicle[row]:
                continue
            stages = set(org.preferred_stages)
            for interest in org.interests:
                stages |= set(_ladder_between(interest.stage_from, interest.stage_to))
                inv_mods[row] |= np.uint64(self.modality.mask(interest.modalities))
                inv_areas[row] |= np.uint64(self.area.mask(interest.areas))
            if not org.interests:
                # An investor's focus areas are what it invests in.
                inv_mods[row] = np.uint64(self.modality.mask(self.science[row][0]))
                inv_areas[row] = np.uint64(self.area.mask(self.science[row][1]))
            low[row], high[row] = window(stages)
        self.vehicle, self.bio, self.sectors, self.allowed = vehicle, bio, sectors, allowed
        self.inv_low, self.inv_high = low, high
        self.inv_mods = np.array([self.reach(int(v), self.modality) for v in inv_mods], np.uint64)
        self.inv_areas = np.array([self.reach(int(v), self.area) for v in inv_areas], np.uint64)
        # Coming for investors says as much as seeking equity investment.
        investors = np.uint64(self.intent.mask(["investors"]))
        self.seeks_investment = ((self.seeks & np.uint64(investment)) != 0) | (
            (self.intents & investors) != 0
        )

    def _services(self, n: int) -> None:
        s = len(self.service)
        self.cap_mods = np.zeros((n, max(s, 1)), np.uint64)
        self.cap_all = np.zeros((n, max(s, 1)), bool)
        self.cap_unknown = np.zeros(n, np.uint64)  # services listed with no capability stated
        service_deals = self.deal.mask(m.SERVICE_DEALS)
        self.provider = np.zeros(n, bool)
        owners, services, modalities, weights, index = [], [], [], [], []
        self.needs: list[list[Need]] = []
        for row, org in enumerate(self.orgs):
            stated = set()
            for cap in org.capabilities:
                col = self.service.index.get(cap.service)
                if col is None:
                    continue
                stated.add(cap.service)
                self.cap_mods[row, col] |= np.uint64(self.modality.mask(cap.modalities))
                self.cap_all[row, col] |= cap.all_modalities
            listed = self.taxonomy.of_kind(org.focus_areas, m.SERVICE) - stated
            self.cap_unknown[row] = np.uint64(self.service.mask(listed))
            self.provider[row] = bool(org.capabilities or listed) and (
                org.kind == m.CRO_CDMO or bool(int(self.offers[row]) & service_deals)
            )
            found = needs_of(org, self.taxonomy)
            self.needs.append(found)
            for i, need in enumerate(found):
                owners.append(row)
                services.append(self.service.index.get(need.service, 0))
                modalities.append(self.modality.mask([need.modality]) if need.modality else 0)
                weights.append(need.weight if need.service in self.service.index else 0.0)
                index.append(i)
        self.need_owner = np.array(owners, np.int64)
        self.need_service = np.array(services, np.int64)
        self.need_mod = np.array(modalities, np.uint64)
        self.need_weight = np.array(weights, np.float64)
        self.need_index = np.array(index, np.int64)
        local = {self.service.index[s] for s in LOCAL_SERVICES if s in self.service.index}
        self.need_local = (
            np.isin(self.need_service, sorted(local))
            if local
            else np.zeros(len(self.need_service), bool)
        )
        abroad = np.uint64(self.deal.mask(ABROAD_DEALS))
        self.abroad = (self.seeks & abroad) != np.uint64(0)
        self.portfolio = np.array(
            [self.modality.mask(portfolio_of(o, self.taxonomy)) for o in self.orgs], np.uint64
        )
        # What a pharma buys for its modalities: making, testing and running studies, not
        # the regulatory or market-entry help a newcomer to a country needs.
        # Only services for named modalities count: a generalist clinical CRO is no reason for
        # a pharma to meet it at a partnering event.
        product = [self.service.index[s] for s in PORTFOLIO_SERVICES if s in self.service.index]
        self.cap_covers = (
            np.bitwise_or.reduce(self.cap_mods[:, product], axis=1)
            if product
            else np.zeros(n, np.uint64)
        )
        # Regulators a provider has made or tested products for: a pharma abroad buys from
        # it only when its own regulator is among them (Samsung Biologics and the PMDA).
        regulators = Vocab(["pmda", "mfds", "fda", "ema"], "regulators")
        self.cap_regulators = np.array(
            [
                regulators.mask(
                    r
                    for c in o.capabilities
                    if c.service in PORTFOLIO_SERVICES
                    for r in c.regulators
                )
                for o in self.orgs
            ],
            np.uint64,
        )
        self.home_regulator = np.array(
            [regulators.mask([m.HOME_REGULATOR.get(o.country, "")]) for o in self.orgs],
            np.uint64,
        )
        self.has_needs = self.portfolio != np.uint64(0)
        self.has_needs[self.need_owner] = True

    def _items(self) -> None:
        owner, mods, areas, stage, deals, rights, cls, refs = [], [], [], [], [], [], [], []
        self.items: list[Item] = []
        for row, org in enumerate(self.orgs):
            for item in items_of(org, self.taxonomy):
                self.items.append(item)
                owner.append(row)
                mods.append(self.modality.mask(item.modalities))
                areas.append(self.area.mask(item.areas))
                stage.append(ladder.STAGE_RANK.get(item.stage, UNKNOWN))
                deals.append(self.deal.mask(item.deals))
                asset = item.asset
                rights.append(self.territories(asset.rights) if asset else 0)
                cls.append(self.class_bit.get(asset.platform_class, 0) if asset else 0)
                refs.append(len(self.items) - 1)
        self.item_owner = np.array(owner, np.int64)
        self.item_mods = np.array(mods, np.uint64)
        self.item_areas = np.array(areas, np.uint64)
        self.item_stage = np.array(stage, np.int16)
        self.item_deals = np.array(deals, np.uint64)
        self.item_rights = np.array(rights, np.uint64)
        self.item_class = np.array(cls, np.uint64)
        self.item_strict = np.array(
            [bool(i.asset) and i.asset.direction == "divesting" for i in self.items], bool
        )
        self.items_by_owner = _groups(self.item_owner, len(self.orgs))

    def _interests(self) -> None:
        owner, mods, areas, low, high = [], [], [], [], []
        deals, terr, stated = [], [], []
        self.interests: list[m.Interest] = []
        all_deals = self.deal.mask(m.PARTNER_DEALS)
        for row, org in enumerate(self.orgs):
            for interest in interests_of(org, self.taxonomy):
                interest = within_focus(interest, self.science[row])
                self.interests.append(interest)
                owner.append(row)
                mod_mask = self.modality.mask(interest.modalities)
                area_mask = self.area.mask(interest.areas)
                mods.append(self.reach(mod_mask, self.modality))
                areas.append(self.reach(area_mask, self.area))
                low.append(ladder.STAGE_RANK.get(interest.stage_from, UNKNOWN))
                high.append(ladder.STAGE_RANK.get(interest.stage_to, UNKNOWN))
                wanted = self.deal.mask(interest.deals)
                deals.append(wanted if interest.deals or not interest.stated else all_deals)
                terr.append(self.territories(interest.territories))
                stated.append(interest.stated)
        self.int_owner = np.array(owner, np.int64)
        # With broader and narrower areas; 0 where the interest (and its organization) names
        # none: not known, so it neither rules an item out nor earns a point.
        self.int_mods = np.array(mods, np.uint64)
        self.int_areas = np.array(areas, np.uint64)
        self.int_low = np.array(low, np.int16)
        self.int_high = np.array(high, np.int16)
        self.int_deals = np.array(deals, np.uint64)
        self.int_terr = np.array(terr, np.uint64)
        self.int_stated = np.array(stated, bool)
        self.interests_by_owner = _groups(self.int_owner, len(self.orgs))
        # Inverted lists, so that an item is judged only against interests that can take it.
        self._interests_by_mod = _by_bit(self.int_mods)
        self._interests_without_mod = np.flatnonzero(self.int_mods == np.uint64(0))
        self._items_by_mod = _by_bit(self.item_mods)
        self._items_by_area = _by_bit(self.item_areas)
        # Candidate lists by mask, built on first use (a dict: safe to share between threads,
        # at worst two threads build the same list).
        self._candidates: dict[tuple, np.ndarray] = {}

    def interests_taking(self, mods: int) -> np.ndarray:
        """Interests (ascending) whose modalities include one of `mods`, or that name none."""
        key = ("taking", mods)
        found = self._candidates.get(key)
        if found is None:
            parts = [self._interests_by_mod[b] for b in range(64) if mods >> b & 1]
            found = np.unique(np.concatenate([self._interests_without_mod, *parts]))
            self._candidates[key] = found
        return found

    def items_taken_by(self, mods: int, areas: int) -> np.ndarray:
        """Items (ascending) an interest with these modalities (or, naming none, areas) can
        take: the only ones worth judging."""
        key = ("taken", mods, 0 if mods else areas)
        found = self._candidates.get(key)
        if found is None:
            index, wanted = (self._items_by_mod, mods) if mods else (self._items_by_area, areas)
            parts = [index[b] for b in range(64) if wanted >> b & 1]
            found = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
            self._candidates[key] = found
        return found


def _ladder_between(low: str, high: str) -> list[str]:
    if not low and not high:
        return []
    first = ladder.STAGE_RANK.get(low, 0)
    last = ladder.STAGE_RANK.get(high, TOP)
    return list(ladder.STAGE_ORDER[first : last + 1])


def _by_bit(masks: np.ndarray) -> list[np.ndarray]:
    """For each of the 64 bits, the rows whose mask has it."""
    return [np.flatnonzero((masks >> np.uint64(b)) & np.uint64(1)) for b in range(64)]


def _groups(owners: np.ndarray, n: int) -> list[np.ndarray]:
    """Row indices per owner (owners ascending)."""
    starts = np.searchsorted(owners, np.arange(n + 1))
    return [np.arange(starts[i], starts[i + 1]) for i in range(n)]
