"""Plausible synthetic partnering organizations, deterministic per seed, for benchmarks and demos.

Plain data only: the `generate_demo` command writes it to the database in bulk. The mix follows
the shape of a large partnering event (many ventures, fewer pharma, CROs/CDMOs and investors), and
each kind gets the focus areas, stages and partnership types such an organization would state,
and the partnering criteria the matching reads (what it comes for, interests, exclusions,
investment mandates, service capabilities, existing relationships), in proportions like those of
the real directory (`fixtures/organizations.json`, `fixtures/partnering.json`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kbio.lib.stages import STAGE_ORDER

KIND_WEIGHTS = {
    "venture": 55,
    "pharma": 15,
    "cro_cdmo": 12,
    "investor": 10,
    "academia": 5,
    "agency": 3,
}
COUNTRIES_BY_KIND = {
    "venture": (("KR", 70), ("JP", 20), ("US", 5), ("DE", 5)),
    "pharma": (("JP", 70), ("KR", 10), ("US", 15), ("CH", 5)),
    "cro_cdmo": (("JP", 50), ("KR", 40), ("US", 10)),
    "investor": (("JP", 45), ("KR", 45), ("US", 10)),
    "academia": (("JP", 50), ("KR", 50)),
    "agency": (("JP", 50), ("KR", 50)),
}
CITIES = {
    "KR": ("Seoul", "Cheongju", "Seongnam", "Incheon", "Daejeon", "Suwon"),
    "JP": ("Tokyo", "Osaka", "Fujisawa", "Kobe", "Yokohama", "Tsukuba"),
    "US": ("Boston", "San Diego", "San Francisco"),
    "DE": ("Munich", "Berlin"),
    "CH": ("Basel",),
}
NAME_ROOTS = {
    "KR": ("Hanbit", "Saebom", "Dasan", "Mirae", "Narae", "Haneul", "Gaon", "Sol", "Bora", "Jinu"),
    "JP": ("Sakura", "Hikari", "Midori", "Asahi", "Kaede", "Yamato", "Minato", "Tsubasa"),
    "US": ("Beacon", "Harbor", "Summit", "Cedar"),
    "DE": ("Rhein", "Alpen"),
    "CH": ("Jura",),
}
NATIVE_ROOTS = {
    "KR": ("한빛", "새봄", "다산", "미래", "나래", "하늘", "가온", "솔", "보라", "진우"),
    "JP": ("さくら", "ひかり", "みどり", "あさひ", "かえで", "やまと", "みなと", "つばさ"),
}
SUFFIXES = {
    "venture": ("Bio", "Therapeutics", "Cellgen", "Genomics", "Biologics"),
    "pharma": ("Pharma", "Pharmaceutical", "Seiyaku"),
    "cro_cdmo": ("Bioresearch", "CRO", "Biomanufacturing", "Labs"),
    "investor": ("Ventures", "Capital", "Bio Fund"),
    "academia": ("University Hospital", "Institute of Science"),
    "agency": ("Bio Foundation", "Innovation Agency"),
}
NATIVE_SUFFIXES = {
    ("KR", "venture"): "바이오",
    ("KR", "pharma"): "제약",
    ("KR", "cro_cdmo"): "바이오리서치",
    ("KR", "investor"): "벤처스",
    ("KR", "academia"): "대학교병원",
    ("KR", "agency"): "바이오재단",
    ("JP", "venture"): "バイオ",
    ("JP", "pharma"): "製薬",
    ("JP", "cro_cdmo"): "リサーチ",
    ("JP", "investor"): "キャピタル",
    ("JP", "academia"): "大学病院",
    ("JP", "agency"): "振興機構",
}

# What each kind typically seeks and offers (partnership-type slugs of the taxonomy fixture).
SEEKS = {
    "venture": (
        "licensing",
        "co-development",
        "equity-investment",
        "cro-services",
        "cdmo-manufacturing",
        "regulatory-support",
        "market-entry",
        "verification-lab-space",
        "joint-research",
        "grants-funding",
    ),
    "pharma": ("licensing", "co-development", "joint-research", "m-and-a", "technology-transfer"),
    "cro_cdmo": ("market-entry", "joint-research"),
    "investor": ("equity-investment", "co-development"),
    "academia": ("joint-research", "technology-transfer", "grants-funding"),
    "agency": ("market-entry", "joint-research"),
}
OFFERS = {
    "venture": ("licensing", "co-development", "joint-research", "technology-transfer"),
    "pharma": (
        "licensing",
        "co-development",
        "joint-research",
        "equity-investment",
        "market-entry",
        "distribution",
    ),
    "cro_cdmo": ("cro-services", "cdmo-manufacturing", "regulatory-support", "clinical-site"),
    "investor": ("equity-investment",),
    "academia": ("joint-research", "clinical-site", "technology-transfer"),
    "agency": ("grants-funding", "verification-lab-space", "market-entry"),
}
INDICATIONS = (
    "knee osteoarthritis",
    "Parkinson's disease",
    "Huntington's disease",
    "acute myeloid leukaemia",
    "non-small-cell lung cancer",
    "gastric cancer",
    "atopic dermatitis",
    "limb ischaemia",
    "myocardial infarction",
    "inflammatory bowel disease",
    "retinitis pigmentosa",
    "osteonecrosis of the femoral head",
    "Leber hereditary optic neuropathy",
    "ALS",
)

# Generated facts are not sourced; they count as checked on this date.
CHECKED_ON = date(2026, 1, 1)
NO_INTENTS = 0.15
# Technology classes shared by some pharma platforms and some venture assets.
PLATFORM_CLASSES = {
    "adc": ("adc-topoisomerase-1-payload", "adc-mmae-payload"),
    "antibody": ("bispecific-t-cell-engager",),
}
HOME_TERRITORY = {"KR": "korea", "JP": "japan", "US": "us", "DE": "europe", "CH": "europe"}
RIGHTS = (("japan",), ("japan", "asia"), ("worldwide",), ("japan", "korea"), ("us", "europe"))
# Stage windows of pharma interests; the research window goes with joint research.
CLINICAL_WINDOWS = (("preclinical", "phase_2"), ("phase_1", "phase_3"), ("ind_cleared", "phase_2"))
RESEARCH_WINDOW = ("discovery", "lead_optimization")
ROUNDS = ("seed", "series_a", "series_b", "later")
NON_BIO_SECTORS = ("ai", "software", "ecommerce", "blockchain")
# Services that do not depend on the modality; every other service names its modalities.
ALL_MODALITY_SERVICES = frozenset({"clinical-operations", "regulatory-consulting"})
VENTURE_SERVICES = {
    "cmc-manufacturing": "cdmo-manufacturing",
    "materials-media": "cdmo-manufacturing",
    "pharmacology-efficacy": "cro-services",
    "discovery-screening": "cro-services",
}
STANDARDS = {"glp-toxicology": "glp", "cmc-manufacturing": "gmp", "clinical-operations": "gcp"}
REGULATORS = {"JP": "pmda", "KR": "mfds", "US": "fda", "DE": "ema", "CH": "ema"}
# Who an organization of each kind already works with: (partner kind, relationship, weight).
RELATIONSHIPS = {
    "venture": (
        ("agency", "tenancy", 5),
        ("cro_cdmo", "client", 3),
        ("academia", "research", 2),
        ("investor", "investment", 2),
        ("pharma", "licence", 1),
        ("venture", "mou", 1),
    ),
    "pharma": (
        ("cro_cdmo", "client", 3),
        ("academia", "research", 2),
        ("venture", "licence", 2),
        ("agency", "tenancy", 1),
        ("pharma", "affiliate", 1),
    ),
    "cro_cdmo": (("agency", "mou", 3), ("pharma", "client", 2), ("venture", "client", 2)),
    "investor": (("venture", "investment", 3), ("investor", "investment", 1)),
    "academia": (("venture", "research", 2), ("pharma", "research", 2), ("agency", "mou", 1)),
    "agency": (("cro_cdmo", "mou", 2), ("agency", "mou", 1), ("venture", "tenancy", 2)),
}
RELATED_SHARE = 0.05


@dataclass
class SyntheticAsset:
    slug: str
    name: str
    modality: str
    therapeutic_areas: list[str]
    indications: str
    stage: str
    direction: str = "out_licensing"
    rights_available: list[str] = field(default_factory=list)
    platform_class: str = ""


@dataclass
class SyntheticInterest:
    slug: str
    modalities: list[str]
    therapeutic_areas: list[str]
    deal_types: list[str]
    stage_from: str = ""
    stage_to: str = ""
    territories: list[str] = field(default_factory=list)


@dataclass
class SyntheticExclusion:
    slug: str
    focus_area: str
    since: date


@dataclass
class SyntheticMandate:
    vehicle: str
    sectors: list[str]
    rounds: list[str]
    countries: list[str]


@dataclass
class SyntheticCapability:
    service: str
    modalities: list[str]
    all_modalities: bool
    standards: list[str]
    regulators: list[str]


@dataclass
class SyntheticRelationship:
    partner: str  # the slug of an organization generated earlier in the same run
    kind: str
    since: date


@dataclass
class SyntheticOrganization:
    slug: str
    name: str
    native_name: str
    kind: str
    country: str
    city: str
    founded: int
    description: str
    lead_stage: str
    focus_areas: list[str]
    seeks: list[str]
    offers: list[str]
    preferred_stages: list[str]
    languages: list[str]
    assets: list[SyntheticAsset] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    interests: list[SyntheticInterest] = field(default_factory=list)
    exclusions: list[SyntheticExclusion] = field(default_factory=list)
    mandate: SyntheticMandate | None = None
    capabilities: list[SyntheticCapability] = field(default_factory=list)
    relationships: list[SyntheticRelationship] = field(default_factory=list)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _sample(rng: random.Random, pool: Sequence[str], low: int, high: int) -> list[str]:
    if not pool:
        return []
    return rng.sample(list(pool), min(len(pool), rng.randint(low, high)))


def generate(
    count: int,
    *,
    seed: int,
    modalities: Sequence[str],
    therapeutic_areas: Sequence[str],
    services: Sequence[str],
    slug_prefix: str | None = None,
) -> Iterator[SyntheticOrganization]:
    """Yield `count` organizations; the same arguments always give the same organizations.

    The criteria come from a second random stream, so adding them left every field drawn before
    them (names, kinds, focus areas, venture assets) as it was for each seed; ventures that also
    sell a service gain it in their focus areas and offers.
    """
    rng = random.Random(seed)
    criteria_rng = random.Random(f"criteria-{seed}")
    earlier: dict[str, list[str]] = {kind: [] for kind in KIND_WEIGHTS}
    prefix = slug_prefix or f"demo-{seed}"
    kinds = tuple(KIND_WEIGHTS.items())
    clinical = STAGE_ORDER[: STAGE_ORDER.index("phase_3") + 1]
    for number in range(1, count + 1):
        kind = _weighted(rng, kinds)
        country = _weighted(rng, COUNTRIES_BY_KIND[kind])
        root = rng.choice(NAME_ROOTS[country])
        suffix = rng.choice(SUFFIXES[kind])
        name = f"{root} {suffix} {number}"
        native = ""
        if country in NATIVE_ROOTS:
            native_root = NATIVE_ROOTS[country][NAME_ROOTS[country].index(root)]
            native = f"{native_root}{NATIVE_SUFFIXES[(country, kind)]} {number}"
        areas: list[str] = []
        assets: list[SyntheticAsset] = []
        preferred: list[str] = []
        lead_stage = "not_applicable"
        if kind == "venture":
            areas = _sample(rng, modalities, 1, 2) + _sample(rng, therapeutic_areas, 1, 3)
            for index in range(rng.randint(1, 3)):
                stage = rng.choice(clinical[:8])
                ta_pool = [a for a in areas if a in therapeutic_areas] or list(therapeutic_areas)
                assets.append(
                    SyntheticAsset(
                        slug=f"p{index + 1}",
                        name=f"{root[:2].upper()}-{100 * (index + 1) + number % 100:03d}",
                        modality=rng.choice([a for a in areas if a in modalities]),
                        therapeutic_areas=_sample(rng, ta_pool, 1, 2),
                        indications=rng.choice(INDICATIONS),
                        stage=stage,
                    )
                )
            lead_stage = max((a.stage for a in assets), key=STAGE_ORDER.index)
        elif kind == "pharma":
            areas = _sample(rng, modalities, 2, 6) + _sample(rng, therapeutic_areas, 2, 4)
            start = rng.randint(1, 5)
            preferred = list(STAGE_ORDER[start : start + rng.randint(3, 6)])
            lead_stage = "approved"
        elif kind == "cro_cdmo":
            areas = _sample(rng, services, 2, 5) + _sample(rng, modalities, 0, 3)
        elif kind == "investor":
            areas = _sample(rng, modalities, 1, 4) + _sample(rng, therapeutic_areas, 0, 3)
            start = rng.randint(0, 3)
            preferred = list(STAGE_ORDER[start : start + rng.randint(2, 5)])
        else:
            areas = _sample(rng, modalities, 1, 3) + _sample(rng, therapeutic_areas, 1, 3)
            if kind == "academia":
                areas += _sample(rng, services, 0, 2)
        home = {"KR": "ko", "JP": "ja"}.get(country)
        languages = ["en"] + ([home] if home else [])
        org = SyntheticOrganization(
            slug=f"{prefix}-{number:05d}",
            name=name,
            native_name=native,
            kind=kind,
            country=country,
            city=rng.choice(CITIES[country]),
            founded=rng.randint(1950 if kind == "pharma" else 2005, 2024),
            description=f"Synthetic {kind} profile generated for benchmarks (seed {seed}).",
            lead_stage=lead_stage,
            focus_areas=areas,
            seeks=_sample(rng, SEEKS[kind], 1, 4),
            offers=_sample(rng, OFFERS[kind], 1, 3),
            preferred_stages=preferred,
            languages=languages,
            assets=assets,
        )
        _add_criteria(
            criteria_rng,
            org,
            code=f"{root[:3].upper()}-{number % 1000:03d}",
            modalities=modalities,
            therapeutic_areas=therapeutic_areas,
            services=services,
            earlier=earlier,
        )
        earlier[kind].append(org.slug)
        yield org


def _add_criteria(
    rng: random.Random,
    org: SyntheticOrganization,
    *,
    code: str,
    modalities: Sequence[str],
    therapeutic_areas: Sequence[str],
    services: Sequence[str],
    earlier: dict[str, list[str]],
) -> None:
    """Give `org` the partnering criteria an organization of its kind states."""
    own_modalities = [a for a in org.focus_areas if a in modalities]
    own_areas = [a for a in org.focus_areas if a in therapeutic_areas]
    provider = False
    if org.kind == "venture":
        for asset in org.assets:
            _venture_asset_terms(rng, asset)
        offered = [s for s in VENTURE_SERVICES if s in services]
        if offered and own_modalities and rng.random() < 0.12:
            provider = True
            for service in rng.sample(offered, rng.randint(1, min(2, len(offered)))):
                org.focus_areas.append(service)
                if VENTURE_SERVICES[service] not in org.offers:
                    org.offers.append(VENTURE_SERVICES[service])
                org.capabilities.append(
                    _capability(rng, service, own_modalities, modalities, org.country)
                )
        if rng.random() < 0.08:
            deal = rng.choice(("co-development", "joint-research"))
            org.interests.append(
                _interest(rng, [], own_modalities, own_areas, modalities, therapeutic_areas, [deal])
            )
    elif org.kind == "pharma":
        if rng.random() < 0.10:
            others = [m for m in modalities if m not in own_modalities]
            if others:
                left = rng.choice(others)
                modalities = [m for m in modalities if m != left]
                org.exclusions.append(
                    SyntheticExclusion(left, left, _day(rng, date(2023, 1, 1), CHECKED_ON))
                )
        org.assets.extend(_pharma_assets(rng, code, own_modalities, own_areas))
        for _ in range(rng.randint(1, 3)):
            org.interests.append(
                _pharma_interest(rng, org, own_modalities, own_areas, modalities, therapeutic_areas)
            )
    elif org.kind == "cro_cdmo":
        org.capabilities.extend(
            _capability(rng, service, own_modalities, modalities, org.country)
            for service in org.focus_areas
            if service in services
        )
    elif org.kind == "investor":
        org.mandate = _mandate(rng, org.country)
        if org.preferred_stages and rng.random() < 0.6:
            org.interests.append(
                _interest(
                    rng,
                    org.interests,
                    own_modalities,
                    own_areas,
                    modalities,
                    therapeutic_areas,
                    ["equity-investment"],
                    window=(org.preferred_stages[0], org.preferred_stages[-1]),
                )
            )
    elif org.kind == "academia" and rng.random() < 0.4:
        window = ("discovery", "preclinical") if rng.random() < 0.5 else ("", "")
        org.interests.append(
            _interest(
                rng,
                [],
                own_modalities,
                own_areas,
                modalities,
                therapeutic_areas,
                ["joint-research"],
                window=window,
            )
        )
    org.intents = _intents(rng, org.kind, provider)
    if rng.random() < RELATED_SHARE:
        choices = [(k, r, w) for k, r, w in RELATIONSHIPS[org.kind] if earlier[k]]
        if choices:
            partner_kind, relationship, _weight = rng.choices(
                choices, weights=[w for *_, w in choices]
            )[0]
            org.relationships.append(
                SyntheticRelationship(
                    partner=rng.choice(earlier[partner_kind]),
                    kind=relationship,
                    since=_day(rng, date(2016, 1, 1), CHECKED_ON),
                )
            )


def _intents(rng: random.Random, kind: str, provider: bool) -> list[str]:
    if rng.random() < NO_INTENTS:
        return []
    if kind == "venture":
        intents = ["licensees"]
        for intent, share in (
            ("co_development", 0.4),
            ("research", 0.3),
            ("investors", 0.6),
            ("providers", 0.15),
        ):
            if rng.random() < share:
                intents.append(intent)
        return intents + (["clients"] if provider else [])
    if kind == "pharma":
        return (
            ["assets"]
            + (["co_development"] if rng.random() < 0.45 else [])
            + (["research"] if rng.random() < 0.65 else [])
        )
    return [
        {"cro_cdmo": "clients", "investor": "investees", "agency": "supported"}.get(
            kind, "research"
        )
    ]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days))


def _platform(rng: random.Random, modality: str, share: float) -> str:
    classes = PLATFORM_CLASSES.get(modality)
    return rng.choice(classes) if classes and rng.random() < share else ""


def _venture_asset_terms(rng: random.Random, asset: SyntheticAsset) -> None:
    asset.direction = _weighted(
        rng, (("out_licensing", 60), ("co_development", 30), ("partnered", 7), ("in_discussion", 3))
    )
    if asset.direction != "partnered" and rng.random() < 0.5:
        asset.rights_available = list(rng.choice(RIGHTS))
    asset.platform_class = _platform(rng, asset.modality, 0.4)


def _pharma_assets(
    rng: random.Random, code: str, own_modalities: list[str], own_areas: list[str]
) -> list[SyntheticAsset]:
    """A few programmes of a pharma's own: mostly not for partnering."""
    assets = []
    for index in range(rng.randint(0, 2)):
        modality = rng.choice(own_modalities)
        assets.append(
            SyntheticAsset(
                slug=f"p{index + 1}",
                name=f"{code}{index + 1}",
                modality=modality,
                therapeutic_areas=_sample(rng, own_areas, 1, 2),
                indications=rng.choice(INDICATIONS),
                stage=rng.choice(STAGE_ORDER[STAGE_ORDER.index("phase_1") :]),
                direction=_weighted(rng, (("in_house", 65), ("partnered", 27), ("divesting", 8))),
                platform_class=_platform(rng, modality, 0.6),
            )
        )
    return assets


def _pharma_interest(
    rng: random.Random,
    org: SyntheticOrganization,
    own_modalities: list[str],
    own_areas: list[str],
    modalities: Sequence[str],
    therapeutic_areas: Sequence[str],
) -> SyntheticInterest:
    window = ("", "")
    if rng.random() < 0.6:
        window = RESEARCH_WINDOW if rng.random() < 0.25 else rng.choice(CLINICAL_WINDOWS)
    if window == RESEARCH_WINDOW:
        deals = ["joint-research"]
    elif rng.random() < 0.2:
        deals = []  # any deal
    else:
        pool = ("licensing", "co-development") + (("joint-research",) if not window[0] else ())
        deals = _sample(rng, pool, 1, 2)
    territories = []
    if rng.random() < 0.25:
        territories = [rng.choice((HOME_TERRITORY[org.country], "worldwide"))]
    return _interest(
        rng,
        org.interests,
        own_modalities,
        own_areas,
        modalities,
        therapeutic_areas,
        deals,
        window=window,
        territories=territories,
    )


def _interest(
    rng: random.Random,
    taken: list[SyntheticInterest],
    own_modalities: list[str],
    own_areas: list[str],
    modalities: Sequence[str],
    therapeutic_areas: Sequence[str],
    deals: list[str],
    *,
    window: tuple[str, str] = ("", ""),
    territories: list[str] | None = None,
) -> SyntheticInterest:
    """1–2 modalities × 1–2 therapeutic areas, mostly the organization's own."""
    own_modalities = [m for m in own_modalities if m in modalities]  # not an excluded one
    picked_modalities = _sample(
        rng, own_modalities if own_modalities and rng.random() < 0.85 else modalities, 1, 2
    )
    picked_areas = _sample(
        rng, own_areas if own_areas and rng.random() < 0.85 else therapeutic_areas, 1, 2
    )
    slug = f"{picked_modalities[0]}-{picked_areas[0]}"
    if any(interest.slug == slug for interest in taken):
        slug = f"{slug}-{len(taken) + 1}"
    return SyntheticInterest(
        slug=slug,
        modalities=picked_modalities,
        therapeutic_areas=picked_areas,
        deal_types=deals,
        stage_from=window[0],
        stage_to=window[1],
        territories=territories or [],
    )


def _mandate(rng: random.Random, country: str) -> SyntheticMandate:
    if rng.random() < 0.10:
        return SyntheticMandate(
            vehicle="fund_of_funds",
            sectors=[rng.choice(("generalist", "life_sciences"))],
            rounds=[],
            countries=[country] if rng.random() < 0.7 else [],
        )
    draw = rng.random()
    if draw < 0.10:
        sectors = _sample(rng, NON_BIO_SECTORS, 1, 3)
    elif draw < 0.30:
        sectors = ["generalist"]
    else:
        sectors = ["life_sciences"] + (["medtech"] if rng.random() < 0.2 else [])
    start = rng.randrange(len(ROUNDS) - 1)
    countries: list[str] = []
    if rng.random() < 0.75:
        countries = [country] + [c for c in ("KR", "JP") if c != country and rng.random() < 0.35]
    return SyntheticMandate(
        vehicle="both" if rng.random() < 0.05 else "direct",
        sectors=sectors,
        rounds=list(ROUNDS[start : start + rng.randint(1, 3)]),
        countries=countries,
    )


def _capability(
    rng: random.Random,
    service: str,
    own_modalities: list[str],
    modalities: Sequence[str],
    country: str,
) -> SyntheticCapability:
    every = service in ALL_MODALITY_SERVICES
    covered = [] if every else _sample(rng, own_modalities or modalities, 1, 4)
    standard = STANDARDS.get(service)
    return SyntheticCapability(
        service=service,
        modalities=covered,
        all_modalities=every,
        standards=[standard] if standard and rng.random() < 0.7 else [],
        regulators=[REGULATORS[country]] if rng.random() < 0.5 else [],
    )
