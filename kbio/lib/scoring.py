"""Two-sided partner scoring over plain data (no Django).

A suggestion must be worth the meeting for both organizations. The score of a pair is built
from two one-sided scores:

* A→B, "what A gets from B": B offers the partnership types A seeks (or both want the same
  two-party deal) and seeks what A offers, B works on A's modalities and therapeutic areas,
  B's stage window takes A's assets (or A's window takes B's), and, when B provides services,
  B offers what A's next milestone needs (or A offers what B's needs);
* B→A, the same question asked from B's side.

The two are combined with the harmonic mean (RECON, Pizzato et al., RecSys 2010), so a match
that one side would refuse ranks low whatever the other side thinks. Korea–Japan pairs get a
configurable bonus. Asset-level fit counts too: the pair's score is the best of the
organization-level score and the score of each open asset of either side against the other
organization, because one well-fitting asset is reason enough to meet.

Every point is explained. `Match.reasons` hold a code, the parameters a sentence needs
(slugs, stage codes, asset names) and the points it earned; the points add up to the score.
`Match.missing` says what is missing, with the points it cost. The Django layer turns codes
and parameters into translated sentences, so this module holds no wording.

The weights come from a matching profile (`Weights`); the rules about what a stage or a
modality needs next, and how much partial credit is worth, are domain knowledge kept here as
plain tables (explained in docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from kbio.lib import stages as ladder

MODALITY = "modality"
THERAPEUTIC_AREA = "therapeutic_area"
SERVICE = "service"

# Two-party deals: when both sides seek one, each wants the other end of the same deal
# (a venture out-licensing and a pharma in-licensing both "seek licensing").
MUTUAL_DEALS = frozenset(
    {
        "licensing",
        "co-development",
        "joint-research",
        "technology-transfer",
        "equity-investment",
        "m-and-a",
        "joint-venture",
    }
)
# Offering one of these makes an organization a service provider, whatever its kind.
# (A hospital offering a clinical site, or an agency offering regulatory support, is matched
# through the deal itself, not as a CRO with service lines.)
SERVICE_DEALS = frozenset({"cro-services", "cdmo-manufacturing"})
SERVICE_KINDS = frozenset({"cro_cdmo"})
# Organizations that take programmes forward with outside help. Without listed assets, their
# lead stage stands for their next milestone; a pharma's lead stage (its marketed products)
# says nothing about what it needs from a CRO.
DEVELOPER_KINDS = frozenset({"venture", "academia"})
# CROs and CDMOs work across diseases: therapeutic areas are not compared in a pair with one.
AREA_AGNOSTIC_KINDS = frozenset({"cro_cdmo"})
OPEN_STATUSES = frozenset({"open", "in_discussion"})

# What the next milestone of an asset at each stage needs from a service provider, with how
# pressing it is (1 = on the critical path, 0.5 = usually needed, 0.25 = sometimes).
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
}
# Modality needs apply until the product is on the market.
_MANUFACTURING_STAGES = frozenset(ladder.STAGE_ORDER[: ladder.STAGE_ORDER.index("approved")])

# A partner covering this many of your modalities (or therapeutic areas) covers you fully: a
# pharma listing nine areas is not nine times less interested in each than one listing one.
BREADTH_CAP = 3
# Partnership types met (of those sought) or taken (of those offered) for full marks.
DEAL_SATURATION = 2
# Credit for an asset inside a stage window, one step outside it, two steps outside.
STAGE_CREDIT = (1.0, 0.5, 0.25)
# Needed-service weight at which a provider scores full marks (e.g. GLP toxicology,
# pharmacology and bioanalysis for a preclinical asset).
SERVICE_SATURATION = 2.5


@dataclass(frozen=True)
class Weights:
    """Weights of the criteria, from a matching profile. Only their ratios matter."""

    deal: float = 25.0
    modality: float = 20.0
    therapeutic_area: float = 20.0
    stage: float = 15.0
    services: float = 25.0
    cross_border_bonus: float = 15.0  # percent more for a Korea–Japan pair
    include_same_kind: bool = False


@dataclass(frozen=True)
class Taxonomy:
    """Kinds and parents of the focus areas (modality, therapeutic area, service)."""

    kinds: Mapping[str, str]
    parents: Mapping[str, str | None] = field(default_factory=dict)

    @cached_property
    def _related(self) -> dict[str, frozenset[str]]:
        children: dict[str, set[str]] = {}
        for child, parent in self.parents.items():
            if parent:
                children.setdefault(parent, set()).add(child)

        def ancestors(slug: str) -> set[str]:
            found: set[str] = set()
            parent = self.parents.get(slug)
            while parent and parent not in found:
                found.add(parent)
                parent = self.parents.get(parent)
            return found

        def descendants(slug: str) -> set[str]:
            found: set[str] = set()
            todo = list(children.get(slug, ()))
            while todo:
                child = todo.pop()
                if child not in found:
                    found.add(child)
                    todo.extend(children.get(child, ()))
            return found

        return {
            slug: frozenset({slug} | ancestors(slug) | descendants(slug)) for slug in self.kinds
        }

    def related(self, slug: str) -> frozenset[str]:
        """The area itself, its broader areas and its narrower ones (oncology ~ TME)."""
        return self._related.get(slug, frozenset({slug}))

    def kind(self, slug: str) -> str | None:
        return self.kinds.get(slug)


@dataclass(frozen=True)
class AssetData:
    key: int
    name: str
    modality: str
    therapeutic_areas: frozenset[str] = frozenset()
    stage: str = ladder.NOT_APPLICABLE
    status: str = "open"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class OrgData:
    key: int
    kind: str
    country: str
    focus_areas: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    preferred_stages: frozenset[str] = frozenset()
    lead_stage: str = ladder.NOT_APPLICABLE
    assets: tuple[AssetData, ...] = ()

    @property
    def open_assets(self) -> tuple[AssetData, ...]:
        return tuple(asset for asset in self.assets if asset.is_open)


def asset_view(org: OrgData, asset: AssetData, taxonomy: Taxonomy) -> OrgData:
    """The organization as seen through one asset: its science is the asset's science; its
    services, wants, offers and stage window stay the organization's."""
    services = frozenset(s for s in org.focus_areas if taxonomy.kind(s) == SERVICE)
    return replace(
        org,
        focus_areas=frozenset({asset.modality, *asset.therapeutic_areas}) | services,
        lead_stage=ladder.NOT_APPLICABLE,
        assets=(asset,),
    )


@dataclass(frozen=True)
class Reason:
    """One reason (or one missing piece): a code, what its sentence needs, and its points."""

    code: str
    params: Mapping[str, object]
    points: float

    @property
    def identity(self) -> tuple:
        return self.code, tuple(
            sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in self.params.items())
        )


@dataclass(frozen=True)
class StagePoint:
    stage: str
    asset: str | None  # asset name; None when it is the organization's lead stage
    is_lead: bool


@dataclass(frozen=True)
class Need:
    weight: float
    because: str  # "stage" or "modality"
    code: str  # the stage or modality that creates the need
    asset: str | None  # the asset that needs it; None for the organization's lead programme
    stage: str  # the stage of that asset (or programme)


@dataclass(frozen=True)
class Features:
    """What the score reads from one organization (or one asset view of it)."""

    kind: str
    country: str
    modalities: frozenset[str]
    areas: frozenset[str]
    services: frozenset[str]
    seeks: frozenset[str]
    offers: frozenset[str]
    window: tuple[str, ...]  # ladder stages, in ladder order
    stages: tuple[StagePoint, ...]  # most advanced first
    needs: Mapping[str, Need]
    needs_known: bool  # staged assets, or a developer's lead stage
    provider: bool


def features(org: OrgData, taxonomy: Taxonomy) -> Features:
    slugs = set(org.focus_areas)
    if org.kind in DEVELOPER_KINDS:
        # A venture's pipeline is its science. A pharma's listed assets may be ones it is
        # handing on (Takeda's cell-therapy platform): its interests are its focus areas,
        # and each asset is matched on its own.
        for asset in org.assets:
            slugs.add(asset.modality)
            slugs.update(asset.therapeutic_areas)
    by_kind: dict[str | None, set[str]] = {MODALITY: set(), THERAPEUTIC_AREA: set(), SERVICE: set()}
    for slug in slugs:
        by_kind.setdefault(taxonomy.kind(slug), set()).add(slug)
    staged = sorted(
        (a for a in org.open_assets if ladder.rank(a.stage) is not None),
        key=lambda a: (-ladder.rank(a.stage), a.name),
    )
    if staged:
        points = tuple(StagePoint(a.stage, a.name, i == 0) for i, a in enumerate(staged))
    elif ladder.rank(org.lead_stage) is not None:
        points = (StagePoint(org.lead_stage, None, True),)
    else:
        points = ()
    needs: dict[str, Need] = {}

    def add(service: str, need: Need) -> None:
        if service not in needs or need.weight > needs[service].weight:
            needs[service] = need

    if staged:
        for asset in staged:
            for service, weight in STAGE_NEEDS.get(asset.stage, {}).items():
                add(service, Need(weight, "stage", asset.stage, asset.name, asset.stage))
            if asset.stage in _MANUFACTURING_STAGES:
                for service, weight in MODALITY_NEEDS.get(asset.modality, {}).items():
                    add(service, Need(weight, "modality", asset.modality, asset.name, asset.stage))
    elif points and org.kind in DEVELOPER_KINDS:
        for service, weight in STAGE_NEEDS.get(org.lead_stage, {}).items():
            add(service, Need(weight, "stage", org.lead_stage, None, org.lead_stage))
        if org.lead_stage in _MANUFACTURING_STAGES:
            for modality in sorted(by_kind[MODALITY]):
                for service, weight in MODALITY_NEEDS.get(modality, {}).items():
                    add(service, Need(weight, "modality", modality, None, org.lead_stage))
    return Features(
        kind=org.kind,
        country=org.country,
        modalities=frozenset(by_kind[MODALITY]),
        areas=frozenset(by_kind[THERAPEUTIC_AREA]),
        services=frozenset(by_kind[SERVICE]),
        seeks=frozenset(org.seeks),
        offers=frozenset(org.offers),
        window=tuple(s for s in ladder.STAGE_ORDER if s in org.preferred_stages),
        stages=points,
        needs=needs,
        needs_known=bool(staged) or (bool(points) and org.kind in DEVELOPER_KINDS),
        provider=org.kind in SERVICE_KINDS or bool(org.offers & SERVICE_DEALS),
    )


@dataclass
class _Part:
    """A reason or a missing piece inside one criterion, with its share of the criterion."""

    code: str
    params: dict[str, object]
    share: float


@dataclass
class _Criterion:
    name: str
    weight: float
    value: float
    reasons: list[_Part] = field(default_factory=list)
    missing: list[_Part] = field(default_factory=list)
    # Something real in common: a deal, shared science, a needed service (a stage fit alone
    # is no reason to meet).
    shared: bool = False


@dataclass
class _Direction:
    value: float
    criteria: list[_Criterion]


def _nothing_to_explain() -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    return (), ()


@dataclass(frozen=True)
class Match:
    score: float  # 0–100
    forward: float  # what the viewer gets, 0–1
    backward: float  # what the candidate gets, 0–1
    via_asset: tuple[str, str] | None = None  # ("yours" | "theirs", asset name)
    asset_scores: tuple[tuple[str, str, float], ...] = ()  # (side, asset name, score)
    # Builds (reasons, missing) when first asked: ranking many views needs only scores.
    explain: Callable[[], tuple[tuple[Reason, ...], tuple[Reason, ...]]] = field(
        default=_nothing_to_explain, repr=False, compare=False
    )

    @cached_property
    def _explained(self) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
        return self.explain()

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Strongest first; their points add up to the score."""
        return self._explained[0]

    @property
    def missing(self) -> tuple[Reason, ...]:
        """What is missing, biggest loss first."""
        return self._explained[1]


def _names(slugs: Iterable[str]) -> list[str]:
    return sorted(slugs)


def _deal(seeker: Features, other: Features, weight: float, viewer_seeks: bool) -> _Criterion:
    """What the seeking side wants in partnership types, in two halves: partners offering
    what it seeks (or wanting the same two-party deal), and takers for what it offers. Each
    half counts up to DEAL_SATURATION types, and only when both sides speak to it: what you
    offer can only be taken by a side that says what it seeks."""
    offered = seeker.seeks & other.offers
    both = (seeker.seeks & other.seeks & MUTUAL_DEALS) - offered
    taken = seeker.offers & other.seeks
    met = len(offered) + len(both)
    seeking = bool(seeker.seeks and (other.offers or other.seeks))
    offering = bool(seeker.offers and other.seeks)
    seek_half = min(1.0, met / min(len(seeker.seeks), DEAL_SATURATION)) if seeking else 0.0
    offer_half = (
        min(1.0, len(taken) / min(len(seeker.offers), DEAL_SATURATION)) if offering else 0.0
    )
    value = (seek_half + offer_half) / (seeking + offering)
    criterion = _Criterion("deal", weight, value, shared=bool(offered or both or taken))
    theirs, yours = "offers_what_you_seek", "seeks_what_you_offer"
    total = seek_half + offer_half
    for deals, code, half, count in (
        (offered, theirs if viewer_seeks else yours, seek_half, met),
        (both, "both_seek", seek_half, met),
        (taken, yours if viewer_seeks else theirs, offer_half, len(taken)),
    ):
        if deals and total:
            share = half / total * len(deals) / count
            criterion.reasons.append(_Part(code, {"deals": _names(deals)}, share))
    unmet = seeker.seeks - offered - both
    untaken = seeker.offers - taken
    lost = (1 - seek_half) * seeking + (1 - offer_half) * offering
    if seeking and seek_half < 1 and unmet:
        if met == 0:
            code = "they_offer_nothing_you_seek" if viewer_seeks else "you_offer_nothing_they_seek"
        else:
            code = "they_lack_some_you_seek" if viewer_seeks else "you_lack_some_they_seek"
        criterion.missing.append(_Part(code, {"deals": _names(unmet)}, (1 - seek_half) / lost))
    if offering and offer_half < 1 and untaken:
        if not taken:
            code = "they_seek_nothing_you_offer" if viewer_seeks else "you_seek_nothing_they_offer"
        else:
            code = "they_skip_some_you_offer" if viewer_seeks else "you_skip_some_they_offer"
        share = (1 - offer_half) / lost
        criterion.missing.append(_Part(code, {"deals": _names(untaken)}, share))
    return criterion


def _coverage(
    seeker: frozenset[str],
    other: frozenset[str],
    name: str,
    weight: float,
    viewer_seeks: bool,
    taxonomy: Taxonomy,
) -> _Criterion:
    """How much of the seeker's science the other side works on (narrower/broader counts).

    Coverage is the share of the seeker's areas the other side works on, counting up to
    BREADTH_CAP of them. When either side names nothing of this kind, the fit is unknown:
    half of what one shared area would earn if it were added to both sides (so naming a
    shared area can only help), and more than naming only other areas (a stated different
    focus is worse than an unknown one). A side that states little is not judged on less:
    an empty profile must not look like a perfect fit.
    """
    kind = "modality" if name == "modality" else "area"
    breadth = min(len(seeker), BREADTH_CAP)
    if not seeker or not other:
        silent_viewer = not (seeker if viewer_seeks else other)
        owner = "you" if silent_viewer else "they"
        criterion = _Criterion(name, weight, 0.5 / (breadth + 1))
        criterion.reasons.append(_Part(f"{owner}_name_no_{kind}", {}, 1.0))
        criterion.missing.append(_Part(f"{owner}_name_no_{kind}", {}, 1.0))
        return criterion
    covered: list[_Part] = []
    uncovered = []
    for slug in sorted(seeker):
        if slug in other:
            covered.append(_Part(f"shared_{kind}", {"areas": sorted(seeker & other)}, 0))
            continue
        related = sorted(taxonomy.related(slug) & other)
        if related:
            yours, theirs = (slug, related[0]) if viewer_seeks else (related[0], slug)
            covered.append(_Part("related_focus", {"yours": yours, "theirs": theirs}, 0))
        else:
            uncovered.append(slug)
    for part in covered:
        part.share = 1 / len(covered)
    value = min(1.0, len(covered) / breadth)
    criterion = _Criterion(name, weight, value, reasons=covered, shared=bool(covered))
    if uncovered:
        code = f"they_lack_your_{kind}" if viewer_seeks else f"their_{kind}_elsewhere"
        criterion.missing.append(_Part(code, {"areas": uncovered}, 1.0))
    return criterion


def _window_fit(
    window: tuple[str, ...], points: tuple[StagePoint, ...]
) -> tuple[float, StagePoint, int]:
    """Best credit of any stage point against a window, the point, and its distance."""
    ranks = [ladder.STAGE_RANK[s] for s in window]
    best: tuple[float, StagePoint, int] | None = None
    for point in points:
        rank = ladder.STAGE_RANK[point.stage]
        distance = min(abs(rank - r) for r in ranks)
        credit = STAGE_CREDIT[distance] if distance < len(STAGE_CREDIT) else 0.0
        if best is None or credit > best[0]:
            best = (credit, point, distance)
    assert best is not None
    return best


def _stage(viewer: Features, candidate: Features, weight: float) -> _Criterion | None:
    """Does a stage window on either side take the other side's assets? (mutual)"""
    sides = []
    if candidate.window and viewer.stages:
        sides.append(("theirs", *_window_fit(candidate.window, viewer.stages), candidate.window))
    if viewer.window and candidate.stages:
        sides.append(("yours", *_window_fit(viewer.window, candidate.stages), viewer.window))
    if not sides:
        return None
    side, credit, point, distance, window = max(sides, key=lambda s: s[1])
    params = {
        "window": list(window),
        "asset": point.asset,
        "stage": point.stage,
        "lead": point.is_lead,
    }
    criterion = _Criterion("stage", weight, credit)
    if credit == 1:
        criterion.reasons.append(_Part(f"{side}_window_fits", params, 1.0))
    else:
        lead = (viewer if side == "theirs" else candidate).stages[0]
        if credit > 0:
            near = dict(params, steps=distance)
            criterion.reasons.append(_Part(f"{side}_window_near", near, 1.0))
        outside = {"window": list(window), "asset": lead.asset, "stage": lead.stage}
        criterion.missing.append(_Part(f"{side}_window_misses", outside, 1.0))
    return criterion


def _serve(needy: Features, provider: Features) -> tuple[float, dict[str, Need], dict[str, Need]]:
    """Value of a provider's services for the needy side, what it covers, the pressing gaps."""
    covered = {s: n for s, n in needy.needs.items() if s in provider.services}
    value = min(1.0, sum(n.weight for n in covered.values()) / SERVICE_SATURATION)
    gaps = {s: n for s, n in needy.needs.items() if s not in covered and n.weight >= 1}
    return value, covered, gaps


def _by_asset(needs: Mapping[str, Need], code: str) -> list[_Part]:
    """One part per asset (or lead programme), its services most pressing first."""
    groups: dict[tuple[str, str], list[str]] = {}
    for service, need in needs.items():
        groups.setdefault((need.asset or "", need.stage), []).append(service)
    total = sum(n.weight for n in needs.values())
    parts = []
    for (asset, stage), services in sorted(groups.items()):
        services.sort(key=lambda s: (-needs[s].weight, s))
        share = sum(needs[s].weight for s in services) / total
        params = {"services": services, "asset": asset or None, "stage": stage}
        parts.append(_Part(code, params, share))
    return parts


def _services(viewer: Features, candidate: Features, weight: float) -> _Criterion | None:
    """Does a provider on either side offer what the other side's next milestone needs?"""
    sides = []
    if candidate.provider and viewer.needs_known:
        sides.append(("they", *_serve(viewer, candidate)))
    if viewer.provider and candidate.needs_known:
        sides.append(("you", *_serve(candidate, viewer)))
    if not sides:
        return None
    side, value, covered, gaps = max(sides, key=lambda s: s[1])
    criterion = _Criterion("services", weight, value, shared=bool(covered))
    code = "they_offer_what_you_need" if side == "they" else "you_offer_what_they_need"
    criterion.reasons.extend(_by_asset(covered, code))
    if value < 1 and gaps:
        code = "they_lack_what_you_need" if side == "they" else "you_lack_what_they_need"
        criterion.missing.extend(_by_asset(gaps, code))
    return criterion


def _direction(
    seeker: Features,
    other: Features,
    mutual: list[_Criterion],
    weights: Weights,
    taxonomy: Taxonomy,
    viewer_seeks: bool,
) -> _Direction:
    """What `seeker` gets from `other`, 0–1."""
    criteria: list[_Criterion] = []
    speaks = (seeker.seeks and (other.offers or other.seeks)) or (seeker.offers and other.seeks)
    if speaks and weights.deal:
        criteria.append(_deal(seeker, other, weights.deal, viewer_seeks))
    if weights.modality:
        criteria.append(
            _coverage(
                seeker.modalities,
                other.modalities,
                "modality",
                weights.modality,
                viewer_seeks,
                taxonomy,
            )
        )
    agnostic = seeker.kind in AREA_AGNOSTIC_KINDS or other.kind in AREA_AGNOSTIC_KINDS
    if not agnostic and weights.therapeutic_area:
        criteria.append(
            _coverage(
                seeker.areas,
                other.areas,
                "therapeutic_area",
                weights.therapeutic_area,
                viewer_seeks,
                taxonomy,
            )
        )
    criteria.extend(c for c in mutual if c.weight)
    if not any(c.shared for c in criteria):
        return _Direction(0.0, criteria)
    total = sum(c.weight for c in criteria)
    return _Direction(sum(c.weight * c.value for c in criteria) / total, criteria)


def is_cross_border(a: OrgData | Features, b: OrgData | Features) -> bool:
    return {a.country, b.country} == {"KR", "JP"}


def eligible(viewer: OrgData, candidate: OrgData, weights: Weights) -> bool:
    """Pairs that are suggested at all: not itself, and not the same kind unless allowed."""
    if viewer.key == candidate.key:
        return False
    return weights.include_same_kind or viewer.kind != candidate.kind


def _merge(parts: Iterable[Reason]) -> tuple[Reason, ...]:
    merged: dict[tuple, Reason] = {}
    for part in parts:
        key = part.identity
        if key in merged:
            merged[key] = replace(merged[key], points=merged[key].points + part.points)
        else:
            merged[key] = part
    return tuple(
        sorted(
            (r for r in merged.values() if r.points > 1e-9),
            key=lambda r: (
                -round(r.points, 9),
                _FIRST_ON_TIES.get(r.code, len(_FIRST_ON_TIES)),
                r.code,
                repr(r.identity[1]),
            ),
        )
    )


# On equal points, the science leads: "Both work on ADC" before "Both are active in oncology".
_FIRST_ON_TIES = {
    code: rank
    for rank, code in enumerate(
        ("shared_modality", "shared_area", "related_focus", "they_offer_what_you_need")
    )
}


def _score_views(
    viewer: Features, candidate: Features, weights: Weights, taxonomy: Taxonomy
) -> Match:
    mutual = [
        c
        for c in (
            _stage(viewer, candidate, weights.stage),
            _services(viewer, candidate, weights.services),
        )
        if c is not None
    ]
    forward = _direction(viewer, candidate, mutual, weights, taxonomy, viewer_seeks=True)
    backward = _direction(candidate, viewer, mutual, weights, taxonomy, viewer_seeks=False)
    x, y = forward.value, backward.value
    harmonic = 2 * x * y / (x + y) if x > 0 and y > 0 else 0.0
    # harmonic = a·x + b·y with a = y/(x+y), b = x/(x+y): how the points split per side
    coefficients = (y / (x + y), x / (x + y)) if harmonic > 0 else (0.5, 0.5)
    # A Korea–Japan pair keeps the whole score, any other pair 1/(1 + bonus) of it: the bonus
    # reorders pairs without pushing strong cross-border ones against a ceiling.
    scale = 100 / (1 + weights.cross_border_bonus / 100)
    cross_border = is_cross_border(viewer, candidate)
    score = 100 * harmonic if cross_border else scale * harmonic

    def explain() -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
        reasons: list[Reason] = []
        missing: list[Reason] = []
        for direction, coefficient in zip((forward, backward), coefficients, strict=True):
            total = sum(c.weight for c in direction.criteria)
            for criterion in direction.criteria:
                earned = scale * coefficient * criterion.weight * criterion.value / total
                lost = scale * coefficient * criterion.weight * (1 - criterion.value) / total
                if harmonic > 0:
                    reasons.extend(
                        Reason(p.code, p.params, earned * p.share) for p in criterion.reasons
                    )
                missing.extend(Reason(p.code, p.params, lost * p.share) for p in criterion.missing)
        if harmonic == 0:
            if x == 0 and y == 0:
                code = "nothing_in_common"
            elif x == 0:
                code = "nothing_for_you"
            else:
                code = "nothing_for_them"
            missing.insert(0, Reason(code, {}, 100.0))
        elif cross_border:
            reasons.append(Reason("cross_border", {}, (100 - scale) * harmonic))
        elif weights.cross_border_bonus:
            missing.append(Reason("not_cross_border", {}, (100 - scale) * harmonic))
        return _merge(_fold_deals(reasons)), _merge(missing)

    return Match(score=score, forward=x, backward=y, explain=explain)


def _fold_deals(reasons: list[Reason]) -> list[Reason]:
    """'Both look for joint research' says nothing new when another reason names it: add
    its points there instead."""
    named: dict[str, int] = {}
    for index, reason in enumerate(reasons):
        if reason.code in ("offers_what_you_seek", "seeks_what_you_offer"):
            for deal in reason.params["deals"]:
                named.setdefault(deal, index)
    folded = list(reasons)
    for index, reason in enumerate(reasons):
        if reason.code != "both_seek":
            continue
        deals = reason.params["deals"]
        if deals and all(deal in named for deal in deals):
            share = reason.points / len(deals)
            for deal in deals:
                target = named[deal]
                folded[target] = replace(folded[target], points=folded[target].points + share)
            folded[index] = replace(reason, points=0.0)
    return folded


def shares_science(one: Features, other: Features, taxonomy: Taxonomy) -> bool:
    """A modality or therapeutic area of one side is, or sits under or over, one of the
    other's."""
    return any(taxonomy.related(s) & other.modalities for s in one.modalities) or any(
        taxonomy.related(s) & other.areas for s in one.areas
    )


def with_common_ground(seen: Features, owner: Features, other: Features) -> Features:
    """An asset view that also carries the science its organization shares with the other
    side: what both organizations have in common stays common ground when one of them is
    seen through an asset (and naming a shared area can only help the pair)."""
    return replace(
        seen,
        modalities=seen.modalities | (owner.modalities & other.modalities),
        areas=seen.areas | (owner.areas & other.areas),
    )


class Scorer:
    """Scores pairs, computing each organization's (and asset view's) features once.

    Organizations are immutable values, so the cache is keyed by the organization itself;
    one scorer serves one taxonomy.
    """

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._features: dict[OrgData, Features] = {}
        self._asset_features: dict[tuple[OrgData, AssetData], Features] = {}

    def features(self, org: OrgData) -> Features:
        found = self._features.get(org)
        if found is None:
            found = self._features[org] = features(org, self.taxonomy)
        return found

    def asset_features(self, org: OrgData, asset: AssetData) -> Features:
        """Features of the organization seen through one asset ("your lead asset" stays
        true only of the organization's own lead)."""
        key = (org, asset)
        found = self._asset_features.get(key)
        if found is None:
            own = self.features(org)
            lead = own.stages[0].asset if own.stages else None
            found = features(asset_view(org, asset, self.taxonomy), self.taxonomy)
            stages = tuple(replace(p, is_lead=p.asset == lead) for p in found.stages)
            found = self._asset_features[key] = replace(found, stages=stages)
        return found

    def pair(self, viewer: OrgData, candidate: OrgData, weights: Weights) -> Match:
        """See `score_pair`."""
        taxonomy = self.taxonomy
        viewer_features = self.features(viewer)
        candidate_features = self.features(candidate)
        best = _score_views(viewer_features, candidate_features, weights, taxonomy)
        asset_scores: list[tuple[str, str, float]] = []
        via: tuple[str, str] | None = None
        sides = (
            ("yours", viewer, viewer_features, candidate_features),
            ("theirs", candidate, candidate_features, viewer_features),
        )
        for side, org, org_features, other in sides:
            for asset in org.open_assets:
                seen = self.asset_features(org, asset)
                if not shares_science(seen, other, taxonomy):
                    continue  # an asset fits a partner only if they work on its science
                seen = with_common_ground(seen, org_features, other)
                if side == "yours":
                    match = _score_views(seen, candidate_features, weights, taxonomy)
                else:
                    match = _score_views(viewer_features, seen, weights, taxonomy)
                asset_scores.append((side, asset.name, match.score))
                if match.score > best.score + 1e-9:
                    best, via = match, (side, asset.name)
        asset_scores.sort(key=lambda s: (-s[2], s[0], s[1]))
        return replace(best, via_asset=via, asset_scores=tuple(asset_scores))

    def asset(
        self, viewer: OrgData, asset: AssetData, candidate: OrgData, weights: Weights
    ) -> Match:
        """See `score_asset`."""
        own = self.features(viewer)
        seen = self.asset_features(viewer, asset)
        other = self.features(candidate)
        via = ("yours", asset.name)
        if not shares_science(seen, other, self.taxonomy):
            nothing = Reason("nothing_in_common", {}, 100.0)
            return Match(0.0, 0.0, 0.0, via_asset=via, explain=lambda: ((), (nothing,)))
        seen = with_common_ground(seen, own, other)
        return replace(_score_views(seen, other, weights, self.taxonomy), via_asset=via)


DEFAULT_WEIGHTS = Weights()


def score_pair(
    viewer: OrgData,
    candidate: OrgData,
    taxonomy: Taxonomy,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Match:
    """How well `candidate` suits `viewer`, seen from the viewer's side.

    The score is the best of the organization-level match and the match of each open asset
    of either side against the other organization. It does not depend on which side views
    (`score_pair(a, b).score == score_pair(b, a).score`); the reasons are worded for the viewer.
    """
    return Scorer(taxonomy).pair(viewer, candidate, weights)


def score_asset(
    viewer: OrgData,
    asset: AssetData,
    candidate: OrgData,
    taxonomy: Taxonomy,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Match:
    """How well `candidate` suits one asset of the viewer (0 unless they share its science)."""
    return Scorer(taxonomy).asset(viewer, asset, candidate, weights)
