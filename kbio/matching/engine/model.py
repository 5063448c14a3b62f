"""What the engine reads: organizations with their criteria, as plain frozen dataclasses.

Slugs are the taxonomy's (focus areas, partnership types); stages are the ladder codes of
`kbio.lib.stages`; everything else is a code from the directory's choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from kbio.lib import stages as ladder

MODALITY = "modality"
THERAPEUTIC_AREA = "therapeutic_area"
SERVICE = "service"

VENTURE = "venture"
PHARMA = "pharma"
CRO_CDMO = "cro_cdmo"
INVESTOR = "investor"
ACADEMIA = "academia"
AGENCY = "agency"
# Organizations that develop their own programmes with outside help (their pipeline is their
# science, and creates service needs). A pharma's pipeline does neither.
DEVELOPER_KINDS = frozenset({VENTURE, ACADEMIA})
# Kinds that take assets on (in-license, co-develop, research with them).
TAKER_KINDS = frozenset({PHARMA, VENTURE, ACADEMIA})

# Deals by family.
PARTNER_DEALS = frozenset(
    {
        "licensing",
        "co-development",
        "joint-research",
        "technology-transfer",
        "m-and-a",
        "joint-venture",
    }
)
# Deals an organization offers about itself as a research partner by seeking them.
RESEARCH_DEALS = frozenset(
    {"co-development", "joint-research", "technology-transfer", "joint-venture"}
)
INVESTMENT = "equity-investment"
SERVICE_DEALS = frozenset({"cro-services", "cdmo-manufacturing"})
SUPPORT_DEALS = frozenset(
    {
        "grants-funding",
        "verification-lab-space",
        "market-entry",
        "regulatory-support",
        "clinical-site",
        "distribution",
    }
)
# Public money goes to companies of its own country.
DOMESTIC_SUPPORT = frozenset({"grants-funding"})

# What a partner can do with an asset, by the owner's direction.
DIRECTION_DEALS: Mapping[str, frozenset[str]] = {
    "out_licensing": frozenset({"licensing", "m-and-a", "co-development"}),
    "co_development": frozenset({"co-development", "joint-research", "licensing"}),
    "divesting": frozenset({"licensing", "m-and-a"}),
    "in_discussion": frozenset({"licensing", "co-development"}),
}
OPEN_DIRECTIONS = frozenset(DIRECTION_DEALS)
# Assets whose development the owner carries on itself (so they need services).
SELF_DEVELOPED = frozenset({"out_licensing", "co_development", "in_discussion", "in_house"})

# Investor mandates.
FUND_OF_FUNDS = "fund_of_funds"
DIRECT = "direct"
BOTH = "both"
BIO_SECTORS = frozenset({"life_sciences", "generalist"})

INTENTS = (
    "licensees",
    "assets",
    "co_development",
    "research",
    "investors",
    "investees",
    "providers",
    "clients",
    "support",
    "supported",
)


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
        related = {}
        for slug in self.kinds:
            found = {slug}
            parent = self.parents.get(slug)
            while parent and parent not in found:
                found.add(parent)
                parent = self.parents.get(parent)
            todo = list(children.get(slug, ()))
            while todo:
                child = todo.pop()
                if child not in found:
                    found.add(child)
                    todo.extend(children.get(child, ()))
            related[slug] = frozenset(found)
        return related

    def related(self, slug: str) -> frozenset[str]:
        """The area itself, its broader areas and its narrower ones (oncology ~ TME)."""
        return self._related.get(slug, frozenset({slug}))

    def kind(self, slug: str) -> str | None:
        return self.kinds.get(slug)

    def of_kind(self, slugs, kind: str) -> frozenset[str]:
        return frozenset(s for s in slugs if self.kinds.get(s) == kind)


@dataclass(frozen=True)
class Asset:
    key: int
    name: str
    modality: str
    areas: frozenset[str] = frozenset()
    stage: str = ladder.NOT_APPLICABLE
    direction: str = "out_licensing"
    rights: frozenset[str] = frozenset()  # territories whose rights are free
    platform_class: str = ""

    @property
    def is_open(self) -> bool:
        return self.direction in OPEN_DIRECTIONS


@dataclass(frozen=True)
class Interest:
    """What an organization looks for. Empty modalities/areas/deals mean "any" when the
    interest was stated (`stated`), and "not known" when it is implied by the profile."""

    label: str
    modalities: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    stage_from: str = ""
    stage_to: str = ""
    deals: frozenset[str] = frozenset()
    territories: frozenset[str] = frozenset()
    stated: bool = True


@dataclass(frozen=True)
class Exclusion:
    subject: str  # a focus-area or partnership-type slug
    since: str  # ISO date
    note: str = ""


@dataclass(frozen=True)
class Capability:
    service: str
    modalities: frozenset[str] = frozenset()
    all_modalities: bool = False
    regulators: frozenset[str] = frozenset()  # pmda, mfds, fda, ema: worked with


# The regulator a company answers to at home.
HOME_REGULATOR = {"JP": "pmda", "KR": "mfds", "US": "fda"}


@dataclass(frozen=True)
class Mandate:
    vehicle: str  # direct, fund_of_funds, both
    sectors: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Relationship:
    kind: str
    since: str  # ISO date
    until: str = ""


@dataclass(frozen=True)
class Org:
    key: int
    kind: str
    country: str
    focus_areas: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    preferred_stages: frozenset[str] = frozenset()
    lead_stage: str = ladder.NOT_APPLICABLE
    intents: frozenset[str] = frozenset()
    assets: tuple[Asset, ...] = ()
    interests: tuple[Interest, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    capabilities: tuple[Capability, ...] = ()
    mandate: Mandate | None = None

    @property
    def open_assets(self) -> tuple[Asset, ...]:
        return tuple(a for a in self.assets if a.is_open)


@dataclass(frozen=True)
class Feedback:
    """What organizations said about suggestions: partners they do not want to meet, and
    partners they declined as outside their focus (similar ones rank lower)."""

    not_interested: frozenset[tuple[int, int]] = frozenset()  # (organization, partner) keys
    outside_focus: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Weights:
    """How much each part of a fit counts (only ratios matter) and the ranking factors."""

    deal: float = 25.0
    modality: float = 20.0
    therapeutic_area: float = 20.0
    stage: float = 15.0
    services: float = 80.0  # a provider's suggestion, in percent of a partner's
    off_intent: float = 50.0  # percent kept by a side that did not come for this role
    cross_border_bonus: float = 15.0  # percent more for a Korea–Japan pair
    include_same_kind: bool = False
    minimum: float = 35.0  # lowest score suggested unless a reader asks for weaker fits
