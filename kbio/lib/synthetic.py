"""Plausible synthetic partnering organizations, deterministic per seed, for benchmarks and demos.

Plain data only: the `generate_demo` command writes it to the database in bulk. The mix follows
the shape of a large partnering event (many ventures, fewer pharma, CROs/CDMOs and investors), and
each kind gets the focus areas, stages and partnership types such an organization would state.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

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


@dataclass
class SyntheticAsset:
    slug: str
    name: str
    modality: str
    therapeutic_areas: list[str]
    indications: str
    stage: str


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
    """Yield `count` organizations; the same arguments always give the same organizations."""
    rng = random.Random(seed)
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
        yield SyntheticOrganization(
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
