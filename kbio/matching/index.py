"""The matching index: every active organization with its partnering criteria, loaded in a
fixed number of queries and kept in process memory until the directory changes.

A request costs one query for the index version; only when the version differs from the one
the index was built from (`services.match_index_invalidate` was called) is it rebuilt, with
a fixed number of queries whatever the number of organizations.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import get_language
from django_countries import countries

from kbio.directory.models import (
    Asset,
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    PartnershipType,
    Relationship,
    ServiceCapability,
    Stage,
)

from . import engine as e
from .models import MatchIndexVersion, SuggestionFeedback


@dataclass(frozen=True)
class Names:
    en: str
    ko: str
    ja: str

    def get(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return getattr(self, language, None) or self.en


@dataclass(frozen=True)
class OrgInfo:
    key: int
    slug: str
    name: str
    native_name: str
    kind: str
    country: str

    def __str__(self) -> str:
        return f"{self.name} ({self.native_name})" if self.native_name else self.name

    @property
    def kind_label(self) -> str:
        return str(Organization.Kind(self.kind).label)

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country) or self.country)

    @property
    def native_language(self) -> str:
        """The script of the native name, for the HTML lang attribute."""
        return {"KR": "ko", "JP": "ja"}.get(self.country, "")


@dataclass(frozen=True)
class AssetInfo:
    key: int
    organization: int
    slug: str
    name: str
    stage: str
    modality: str
    direction: str

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)


@dataclass
class MatchIndex:
    engine: e.Engine
    taxonomy: e.Taxonomy
    info: dict[int, OrgInfo]
    by_slug: dict[str, e.Org]
    assets: dict[int, list[AssetInfo]]  # organization key -> its assets, in order
    area_names: dict[str, Names]
    area_order: list[str]  # slugs in taxonomy order
    deal_names: dict[str, Names]
    countries: list[str] = field(default_factory=list)
    _kinds: np.ndarray | None = None
    _countries: np.ndarray | None = None
    _rows_by_area: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        orgs = self.engine.orgs
        self._kinds = np.array([org.kind for org in orgs], dtype=object)
        self._countries = np.array([org.country for org in orgs], dtype=object)
        self.countries = sorted(set(self._countries.tolist()))
        for row, org in enumerate(orgs):
            for slug in _science(org):
                self._rows_by_area.setdefault(slug, []).append(row)

    @property
    def orgs(self) -> list[e.Org]:
        return self.engine.orgs

    def row(self, org: e.Org) -> int:
        return self.engine.row_of[org.key]

    def candidates(self, *, kind: str = "", country: str = "", area: str = "") -> np.ndarray | None:
        """Boolean mask over the organizations for the filters given (None: no filter)."""
        mask = np.ones(len(self.orgs), dtype=bool)
        if kind:
            mask &= self._kinds == kind
        if country:
            mask &= self._countries == country
        if area:
            # The area or anything under it (oncology finds tumour-microenvironment work).
            wanted = {area} | {
                slug for slug in self.taxonomy.kinds if area in _ancestors(self.taxonomy, slug)
            }
            found = np.zeros(len(self.orgs), dtype=bool)
            for slug in wanted:
                found[self._rows_by_area.get(slug, [])] = True
            mask &= found
        return mask if (kind or country or area) else None


def _ancestors(taxonomy: e.Taxonomy, slug: str) -> set[str]:
    found: set[str] = set()
    parent = taxonomy.parents.get(slug)
    while parent and parent not in found:
        found.add(parent)
        parent = taxonomy.parents.get(parent)
    return found


def _science(org: e.Org) -> set[str]:
    slugs = set(org.focus_areas)
    for asset in org.assets:
        slugs.add(asset.modality)
        slugs.update(asset.areas)
    return slugs


def _grouped(pairs) -> dict[int, set]:
    found: dict[int, set] = defaultdict(set)
    for owner, value in pairs:
        found[owner].add(value)
    return found


def load_index() -> MatchIndex:
    """Read every active organization with its focus areas, wants, offers, assets and
    partnering criteria, the relationships between them and the feedback on suggestions."""
    from kbio.events.models import DeclineReason, MeetingRequest, RequestStatus

    areas = list(
        FocusArea.objects.order_by("kind", "order", "name_en").values_list(
            "id", "slug", "kind", "parent_id", "name_en", "name_ko", "name_ja"
        )
    )
    area_slug = {pk: slug for pk, slug, *_ in areas}
    taxonomy = e.Taxonomy(
        kinds={slug: kind for _, slug, kind, *_ in areas},
        parents={slug: area_slug.get(parent) for _, slug, _, parent, *_ in areas},
    )
    deals = list(
        PartnershipType.objects.order_by("order", "name_en").values_list(
            "id", "slug", "name_en", "name_ko", "name_ja"
        )
    )
    deal_slug = {pk: slug for pk, slug, *_ in deals}
    rows = list(
        Organization.objects.active()
        .order_by("name", "pk")
        .values_list(
            "id",
            "slug",
            "name",
            "native_name",
            "kind",
            "country",
            "lead_stage",
            "preferred_stages",
            "intents",
        )
    )
    active = {row[0] for row in rows}
    through = Organization.focus_areas.through.objects
    focus = _grouped(
        (org, area_slug[area])
        for org, area in through.values_list("organization_id", "focusarea_id")
        if org in active
    )
    seeks = _grouped(
        (org, deal_slug[deal])
        for org, deal in Organization.seeks.through.objects.values_list(
            "organization_id", "partnershiptype_id"
        )
        if org in active
    )
    offers = _grouped(
        (org, deal_slug[deal])
        for org, deal in Organization.offers.through.objects.values_list(
            "organization_id", "partnershiptype_id"
        )
        if org in active
    )
    asset_areas = _grouped(
        (asset, area_slug[area])
        for asset, area in Asset.therapeutic_areas.through.objects.values_list(
            "asset_id", "focusarea_id"
        )
    )
    assets: dict[int, list[AssetInfo]] = {}
    asset_data: dict[int, list[e.Asset]] = defaultdict(list)
    for pk, org, slug, name, modality, stage, direction, rights, platform in (
        Asset.objects.filter(organization__is_active=True)
        .order_by("organization_id", "order", "name", "pk")
        .values_list(
            "id",
            "organization_id",
            "slug",
            "name",
            "modality_id",
            "stage",
            "direction",
            "rights_available",
            "platform_class",
        )
    ):
        assets.setdefault(org, []).append(
            AssetInfo(pk, org, slug, name, stage, area_slug[modality], direction)
        )
        asset_data[org].append(
            e.Asset(
                key=pk,
                name=name,
                modality=area_slug[modality],
                areas=frozenset(asset_areas.get(pk, ())),
                stage=stage,
                direction=direction,
                rights=frozenset(rights or ()),
                platform_class=platform,
            )
        )
    interests = _load_interests(area_slug, deal_slug, active)
    exclusions: dict[int, list[e.Exclusion]] = defaultdict(list)
    for org, area, deal, since, note in Exclusion.objects.order_by("since", "pk").values_list(
        "organization_id", "focus_area_id", "deal_type_id", "since", "note"
    ):
        subject = area_slug[area] if area else deal_slug[deal]
        exclusions[org].append(e.Exclusion(subject, since.isoformat(), note))
    capabilities = _load_capabilities(area_slug)
    mandates = {
        org: e.Mandate(vehicle, frozenset(sectors or ()), frozenset(_codes(countries_)))
        for org, vehicle, sectors, countries_ in InvestorMandate.objects.values_list(
            "organization_id", "vehicle", "sectors", "countries"
        )
    }
    orgs = []
    info = {}
    for pk, slug, name, native_name, kind, country, lead_stage, preferred, intents in rows:
        orgs.append(
            e.Org(
                key=pk,
                kind=kind,
                country=str(country),
                focus_areas=frozenset(focus.get(pk, ())),
                seeks=frozenset(seeks.get(pk, ())),
                offers=frozenset(offers.get(pk, ())),
                preferred_stages=frozenset(preferred or ()),
                lead_stage=lead_stage,
                intents=frozenset(intents or ()),
                assets=tuple(asset_data.get(pk, ())),
                interests=tuple(interests.get(pk, ())),
                exclusions=tuple(exclusions.get(pk, ())),
                capabilities=tuple(capabilities.get(pk, ())),
                mandate=mandates.get(pk),
            )
        )
        info[pk] = OrgInfo(pk, slug, name, native_name, kind, str(country))
    relationships: dict[tuple[int, int], list[e.Relationship]] = defaultdict(list)
    for a, b, kind, since, until in Relationship.objects.values_list(
        "organization_id", "partner_id", "kind", "since", "until"
    ):
        until_text = until.isoformat() if until else ""
        relationships[(a, b)].append(e.Relationship(kind, since.isoformat(), until_text))
    not_interested = set(SuggestionFeedback.objects.values_list("organization_id", "partner_id"))
    outside = set(
        SuggestionFeedback.objects.filter(
            reason=SuggestionFeedback.Reason.OUTSIDE_FOCUS
        ).values_list("organization_id", "partner_id")
    )
    outside |= set(
        MeetingRequest.objects.filter(
            status=RequestStatus.DECLINED, decline_reason=DeclineReason.OUTSIDE_FOCUS
        ).values_list("recipient__organization_id", "requester__organization_id")
    )
    engine = e.Engine(
        orgs,
        taxonomy,
        relationships={k: v for k, v in relationships.items() if not _ended(v)},
        feedback=e.Feedback(frozenset(not_interested), frozenset(outside)),
    )
    return MatchIndex(
        engine=engine,
        taxonomy=taxonomy,
        info=info,
        by_slug={info[org.key].slug: org for org in orgs},
        assets=assets,
        area_names={slug: Names(en, ko, ja) for _, slug, _, _, en, ko, ja in areas},
        area_order=[slug for _, slug, *_ in areas],
        deal_names={slug: Names(en, ko, ja) for _, slug, en, ko, ja in deals},
    )


def _codes(countries_) -> list[str]:
    """Country codes of a multiple CountryField as values_list returns them (one string)."""
    if isinstance(countries_, str):
        return [c.strip() for c in countries_.split(",") if c.strip()]
    return [str(c) for c in countries_ or ()]


def _ended(found: list[e.Relationship]) -> bool:
    """Every relationship of the pair has an end date: they are free to meet again."""
    return all(r.until for r in found)


def _load_interests(area_slug, deal_slug, active) -> dict[int, list[e.Interest]]:
    rows = list(
        Interest.objects.filter(organization_id__in=active)
        .order_by("organization_id", "slug")
        .values_list("id", "organization_id", "slug", "stage_from", "stage_to", "territories")
    )
    mods = _grouped(
        (i, area_slug[a])
        for i, a in Interest.modalities.through.objects.values_list("interest_id", "focusarea_id")
    )
    areas = _grouped(
        (i, area_slug[a])
        for i, a in Interest.therapeutic_areas.through.objects.values_list(
            "interest_id", "focusarea_id"
        )
    )
    deals = _grouped(
        (i, deal_slug[d])
        for i, d in Interest.deal_types.through.objects.values_list(
            "interest_id", "partnershiptype_id"
        )
    )
    found: dict[int, list[e.Interest]] = defaultdict(list)
    for pk, org, slug, low, high, territories in rows:
        found[org].append(
            e.Interest(
                label=slug,
                modalities=frozenset(mods.get(pk, ())),
                areas=frozenset(areas.get(pk, ())),
                stage_from=low,
                stage_to=high,
                deals=frozenset(deals.get(pk, ())),
                territories=frozenset(territories or ()),
            )
        )
    return found


def _load_capabilities(area_slug) -> dict[int, list[e.Capability]]:
    mods = _grouped(
        (c, area_slug[a])
        for c, a in ServiceCapability.modalities.through.objects.values_list(
            "servicecapability_id", "focusarea_id"
        )
    )
    found: dict[int, list[e.Capability]] = defaultdict(list)
    rows = ServiceCapability.objects.order_by("pk").values_list(
        "id", "organization_id", "service_id", "all_modalities", "regulators"
    )
    for pk, org, service, every, regulators in rows:
        capability = e.Capability(
            area_slug[service], frozenset(mods.get(pk, ())), every, frozenset(regulators or ())
        )
        found[org].append(capability)
    return found


_lock = threading.Lock()
_cached: tuple[uuid.UUID, MatchIndex] | None = None


def current_token() -> uuid.UUID:
    token = MatchIndexVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        # First use of this database: a fresh token, so no process reuses an older index.
        token = MatchIndexVersion.objects.get_or_create(pk=1)[0].token
    return token


def current_index() -> MatchIndex:
    """The index for the current directory data: one query when it is up to date."""
    global _cached
    token = current_token()
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == token:
            return _cached[1]
        index = load_index()
        _cached = (token, index)
        return index
