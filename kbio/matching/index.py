"""The ranking index: every active organization, loaded in a fixed number of queries and kept
in process memory until the directory changes.

A request costs one query for the index version; only when the version differs from the one
the index was built from (`services.match_index_invalidate` was called) is it rebuilt, with
eight queries whatever the number of organizations.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import get_language
from django_countries import countries

from kbio.directory.models import Asset, FocusArea, Organization, PartnershipType, Stage
from kbio.lib.ranking import Population
from kbio.lib.scoring import AssetData, OrgData, Taxonomy

from .models import MatchIndexVersion


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
    status: str

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)


@dataclass
class MatchIndex:
    population: Population
    taxonomy: Taxonomy
    info: dict[int, OrgInfo]
    by_slug: dict[str, OrgData]
    assets: dict[int, list[AssetInfo]]  # organization key -> its assets, in order
    area_names: dict[str, Names]
    area_order: list[str]  # slugs in taxonomy order
    deal_names: dict[str, Names]
    countries: list[str] = field(default_factory=list)
    _kinds: np.ndarray | None = None
    _countries: np.ndarray | None = None
    _rows_by_area: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._kinds = np.array([org.kind for org in self.population.orgs], dtype=object)
        self._countries = np.array([org.country for org in self.population.orgs], dtype=object)
        self.countries = sorted(set(self._countries.tolist()))
        for row, org in enumerate(self.population.orgs):
            for slug in _science(org):
                self._rows_by_area.setdefault(slug, []).append(row)

    def candidates(self, *, kind: str = "", country: str = "", area: str = "") -> np.ndarray | None:
        """Boolean mask over the population for the filters given (None: no filter)."""
        mask = np.ones(len(self.population.orgs), dtype=bool)
        if kind:
            mask &= self._kinds == kind
        if country:
            mask &= self._countries == country
        if area:
            # The area or anything under it (oncology finds tumour-microenvironment work).
            wanted = {area} | {
                slug for slug in self.taxonomy.kinds if area in _ancestors(self.taxonomy, slug)
            }
            found = np.zeros(len(self.population.orgs), dtype=bool)
            for slug in wanted:
                found[self._rows_by_area.get(slug, [])] = True
            mask &= found
        return mask if (kind or country or area) else None


def _ancestors(taxonomy: Taxonomy, slug: str) -> set[str]:
    found: set[str] = set()
    parent = taxonomy.parents.get(slug)
    while parent and parent not in found:
        found.add(parent)
        parent = taxonomy.parents.get(parent)
    return found


def _science(org: OrgData) -> set[str]:
    slugs = set(org.focus_areas)
    for asset in org.assets:
        slugs.add(asset.modality)
        slugs.update(asset.therapeutic_areas)
    return slugs


def load_index() -> MatchIndex:
    """Read every active organization with its focus areas, wants, offers and assets."""
    areas = list(
        FocusArea.objects.order_by("kind", "order", "name_en").values_list(
            "id", "slug", "kind", "parent_id", "name_en", "name_ko", "name_ja"
        )
    )
    area_slug = {pk: slug for pk, slug, *_ in areas}
    taxonomy = Taxonomy(
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
        )
    )
    active = {row[0] for row in rows}
    focus: dict[int, set[str]] = {}
    for org, area in Organization.focus_areas.through.objects.values_list(
        "organization_id", "focusarea_id"
    ):
        if org in active:
            focus.setdefault(org, set()).add(area_slug[area])
    seeks: dict[int, set[str]] = {}
    for org, deal in Organization.seeks.through.objects.values_list(
        "organization_id", "partnershiptype_id"
    ):
        if org in active:
            seeks.setdefault(org, set()).add(deal_slug[deal])
    offers: dict[int, set[str]] = {}
    for org, deal in Organization.offers.through.objects.values_list(
        "organization_id", "partnershiptype_id"
    ):
        if org in active:
            offers.setdefault(org, set()).add(deal_slug[deal])
    asset_areas: dict[int, set[str]] = {}
    for asset, area in Asset.therapeutic_areas.through.objects.values_list(
        "asset_id", "focusarea_id"
    ):
        asset_areas.setdefault(asset, set()).add(area_slug[area])
    assets: dict[int, list[AssetInfo]] = {}
    asset_data: dict[int, list[AssetData]] = {}
    for pk, org, slug, name, modality, stage, status in Asset.objects.order_by(
        "organization_id", "order", "name", "pk"
    ).values_list(
        "id", "organization_id", "slug", "name", "modality_id", "stage", "direction"
    ):
        if org not in active:
            continue
        assets.setdefault(org, []).append(
            AssetInfo(pk, org, slug, name, stage, area_slug[modality], status)
        )
        asset_data.setdefault(org, []).append(
            AssetData(
                key=pk,
                name=name,
                modality=area_slug[modality],
                therapeutic_areas=frozenset(asset_areas.get(pk, ())),
                stage=stage,
                status=status,
            )
        )
    orgs = []
    info = {}
    for pk, slug, name, native_name, kind, country, lead_stage, preferred in rows:
        orgs.append(
            OrgData(
                key=pk,
                kind=kind,
                country=str(country),
                focus_areas=frozenset(focus.get(pk, ())),
                seeks=frozenset(seeks.get(pk, ())),
                offers=frozenset(offers.get(pk, ())),
                preferred_stages=frozenset(preferred or ()),
                lead_stage=lead_stage,
                assets=tuple(asset_data.get(pk, ())),
            )
        )
        info[pk] = OrgInfo(pk, slug, name, native_name, kind, str(country))
    return MatchIndex(
        population=Population(orgs, taxonomy),
        taxonomy=taxonomy,
        info=info,
        by_slug={info[org.key].slug: org for org in orgs},
        assets=assets,
        area_names={slug: Names(en, ko, ja) for _, slug, _, _, en, ko, ja in areas},
        area_order=[slug for _, slug, *_ in areas],
        deal_names={slug: Names(en, ko, ja) for _, slug, en, ko, ja in deals},
    )


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
