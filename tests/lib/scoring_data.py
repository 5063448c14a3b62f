"""Plain data for the score tests: the real taxonomy (read from its fixture, no Django) and
hypothesis strategies for organizations."""

import json
from pathlib import Path

from hypothesis import strategies as st

from kbio.lib import stages as ladder
from kbio.lib.scoring import AssetData, OrgData, Taxonomy

_ROOT = Path(__file__).resolve().parents[2]


def _taxonomy() -> tuple[Taxonomy, list[str]]:
    rows = json.loads((_ROOT / "fixtures" / "taxonomy.json").read_text())
    areas = [r["fields"] for r in rows if r["model"] == "directory.focusarea"]
    deals = [r["fields"]["slug"] for r in rows if r["model"] == "directory.partnershiptype"]
    taxonomy = Taxonomy(
        kinds={a["slug"]: a["kind"] for a in areas},
        parents={a["slug"]: (a["parent"] or [None])[0] for a in areas},
    )
    return taxonomy, deals


TAXONOMY, DEALS = _taxonomy()
MODALITIES = sorted(s for s, k in TAXONOMY.kinds.items() if k == "modality")
AREAS = sorted(s for s, k in TAXONOMY.kinds.items() if k == "therapeutic_area")
SERVICES = sorted(s for s, k in TAXONOMY.kinds.items() if k == "service")
KINDS = ["venture", "pharma", "cro_cdmo", "investor", "academia", "agency"]
STAGES = list(ladder.ALL_STAGES)

_keys = iter(range(1, 10**9))


def org(kind="venture", country="KR", focus=(), seeks=(), offers=(), window=(), **kwargs):
    """A hand-made organization for examples."""
    return OrgData(
        key=kwargs.pop("key", next(_keys)),
        kind=kind,
        country=country,
        focus_areas=frozenset(focus),
        seeks=frozenset(seeks),
        offers=frozenset(offers),
        preferred_stages=frozenset(window),
        **kwargs,
    )


def asset(name, modality, areas=(), stage="preclinical", status="open"):
    return AssetData(next(_keys), name, modality, frozenset(areas), stage, status)


def subsets(pool, max_size=4):
    return st.frozensets(st.sampled_from(pool), max_size=max_size)


assets_strategy = st.builds(
    AssetData,
    key=st.integers(1, 10**9),
    name=st.text("ABCXYZ-0123", min_size=1, max_size=6),
    modality=st.sampled_from(MODALITIES),
    therapeutic_areas=subsets(AREAS, 2),
    stage=st.sampled_from(STAGES),
    status=st.sampled_from(["open", "in_discussion", "partnered", "not_available"]),
)


@st.composite
def organizations(draw, key=None):
    return OrgData(
        key=draw(st.integers(1, 10**9)) if key is None else key,
        kind=draw(st.sampled_from(KINDS)),
        country=draw(st.sampled_from(["KR", "JP", "US"])),
        focus_areas=draw(subsets(MODALITIES, 3))
        | draw(subsets(AREAS, 4))
        | draw(subsets(SERVICES, 3)),
        seeks=draw(subsets(DEALS, 4)),
        offers=draw(subsets(DEALS, 3)),
        preferred_stages=draw(subsets(list(ladder.STAGE_ORDER), 5)),
        lead_stage=draw(st.sampled_from(STAGES)),
        assets=tuple(draw(st.lists(assets_strategy, max_size=3))),
    )
