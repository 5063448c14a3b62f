"""Small hand-made directories for the engine's tests, and a generator for property tests."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from kbio.matching.engine import (
    Asset,
    Capability,
    Engine,
    Exclusion,
    Interest,
    Mandate,
    Org,
    Taxonomy,
    Weights,
)

MODALITIES = [
    "ipsc-cell-therapy",
    "immune-cell-therapy",
    "gene-therapy",
    "antibody",
    "adc",
    "small-molecule",
    "ai-drug-discovery",
]
AREAS = ["oncology", "immuno-oncology", "neurology", "ophthalmology", "musculoskeletal"]
SERVICES = [
    "glp-toxicology",
    "cmc-manufacturing",
    "clinical-operations",
    "pharmacology-efficacy",
    "regulatory-consulting",
    "dmpk-bioanalysis",
]
TAXONOMY = Taxonomy(
    kinds={
        **dict.fromkeys(MODALITIES, "modality"),
        **dict.fromkeys(AREAS, "therapeutic_area"),
        **dict.fromkeys(SERVICES, "service"),
    },
    parents={"immuno-oncology": "oncology"},
)
_keys = itertools.count(1)


def org(kind="venture", country="KR", **fields) -> Org:
    for name in ("focus_areas", "seeks", "offers", "preferred_stages", "intents"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    for name in ("assets", "interests", "exclusions", "capabilities"):
        if name in fields:
            fields[name] = tuple(fields[name])
    return Org(key=fields.pop("key", next(_keys)), kind=kind, country=country, **fields)


def asset(name, modality, areas=(), stage="preclinical", direction="out_licensing", **more):
    return Asset(
        key=next(_keys),
        name=name,
        modality=modality,
        areas=frozenset(areas),
        stage=stage,
        direction=direction,
        **more,
    )


def interest(modalities=(), areas=(), stage_from="", stage_to="", deals=("licensing",), **more):
    return Interest(
        label=more.pop("label", "i"),
        modalities=frozenset(modalities),
        areas=frozenset(areas),
        stage_from=stage_from,
        stage_to=stage_to,
        deals=frozenset(deals),
        **more,
    )


def engine(*orgs, relationships=None, feedback=None) -> Engine:
    return Engine(list(orgs), TAXONOMY, relationships=relationships, feedback=feedback)


W = Weights()


def score(e: Engine, a: Org, b: Org, w: Weights = W) -> float:
    return float(e.scores(e.row_of[a.key], w)[e.row_of[b.key]])


def explain(e: Engine, a: Org, b: Org, w: Weights = W):
    return e.explain(e.row_of[a.key], e.row_of[b.key], w)


def codes(lines) -> list[str]:
    return [line.code for line in lines]


# -- random directories ---------------------------------------------------------------------

KINDS = ["venture", "pharma", "cro_cdmo", "investor", "academia", "agency"]
DEALS = [
    "licensing",
    "co-development",
    "joint-research",
    "equity-investment",
    "cro-services",
    "cdmo-manufacturing",
    "verification-lab-space",
    "grants-funding",
]
STAGES = ["discovery", "preclinical", "phase_1", "phase_2", "approved"]
INTENTS = ["licensees", "assets", "investors", "investees", "providers", "clients", "support"]
small_sets = lambda items, n=2: st.frozensets(st.sampled_from(items), max_size=n)  # noqa: E731


@st.composite
def random_org(draw, key: int) -> Org:
    kind = draw(st.sampled_from(KINDS))
    assets = tuple(
        Asset(
            key=1000 * key + i,
            name=f"A{key}-{i}",
            modality=draw(st.sampled_from(MODALITIES)),
            areas=draw(small_sets(AREAS)),
            stage=draw(st.sampled_from(STAGES)),
            direction=draw(
                st.sampled_from(["out_licensing", "co_development", "divesting", "in_house"])
            ),
            platform_class=draw(st.sampled_from(["", "", "topo1-adc"])),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    interests = tuple(
        Interest(
            label=f"i{i}",
            modalities=draw(small_sets(MODALITIES)),
            areas=draw(small_sets(AREAS)),
            stage_from=draw(st.sampled_from(["", "preclinical"])),
            stage_to=draw(st.sampled_from(["", "phase_2"])),
            deals=draw(small_sets(["licensing", "co-development", "joint-research"])),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    mandate = None
    if kind == "investor" and draw(st.booleans()):
        mandate = Mandate(
            draw(st.sampled_from(["direct", "fund_of_funds", "both"])),
            draw(small_sets(["life_sciences", "ai", "generalist"])),
            draw(small_sets(["KR", "JP"])),
        )
    capabilities = tuple(
        Capability(s, draw(small_sets(MODALITIES, 3)), draw(st.booleans()))
        for s in draw(small_sets(SERVICES, 3))
    )
    return Org(
        key=key,
        kind=kind,
        country=draw(st.sampled_from(["KR", "JP", "US"])),
        focus_areas=draw(small_sets(MODALITIES + AREAS + SERVICES, 4)),
        seeks=draw(small_sets(DEALS, 3)),
        offers=draw(small_sets(DEALS, 3)),
        preferred_stages=draw(small_sets(STAGES)),
        lead_stage=draw(st.sampled_from([*STAGES, "not_applicable"])),
        intents=draw(small_sets(INTENTS)),
        assets=assets,
        interests=interests,
        exclusions=tuple(
            Exclusion(s, "2025-01-01") for s in draw(small_sets(MODALITIES + AREAS, 1))
        ),
        capabilities=capabilities,
        mandate=mandate,
    )


@st.composite
def directories(draw, size=(2, 9)) -> list[Org]:
    n = draw(st.integers(*size))
    return [draw(random_org(key)) for key in range(1, n + 1)]


weights_strategy = st.builds(
    Weights,
    deal=st.sampled_from([0.0, 10.0, 25.0]),
    modality=st.sampled_from([5.0, 20.0]),
    therapeutic_area=st.sampled_from([0.0, 20.0]),
    stage=st.sampled_from([0.0, 15.0]),
    services=st.sampled_from([50.0, 80.0, 100.0]),
    off_intent=st.sampled_from([0.0, 50.0, 100.0]),
    cross_border_bonus=st.sampled_from([0.0, 15.0]),
    include_same_kind=st.booleans(),
)
