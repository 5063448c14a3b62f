from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connections

from kbio.directory.models import Organization, Stage
from tests.browser import headless_chromium
from tests.factories import AssetFactory, OrganizationFactory

Kind = Organization.Kind


@pytest.fixture
def directory(taxonomy):
    """Six organizations named like real participants, on the real taxonomy.

    Two iPSC ventures, one MSC venture, two Japanese pharma (Astellas also works on iPSC-derived
    cells, so it tells "iPSC ventures" apart from "iPSC organizations") and a Japanese CRO.
    """
    areas, types = taxonomy["areas"], taxonomy["types"]
    yipscell = OrganizationFactory(
        slug="yipscell",
        name="YiPSCELL",
        native_name="입셀",
        kind=Kind.VENTURE,
        country="KR",
        city="Seoul",
        website="https://yipscell.example.org/",
        founded=2016,
        lead_stage=Stage.PHASE_1,
        description="Injectable cartilage spheroids grown from induced pluripotent stem cells, "
        "aimed at knee osteoarthritis.",
        focus_areas=[areas["ipsc-cell-therapy"], areas["musculoskeletal"]],
        seeks=[types["equity-investment"], types["market-entry"]],
        offers=[types["licensing"]],
        languages=["en", "ko"],
    )
    miuchon = AssetFactory(
        organization=yipscell,
        slug="miuchon",
        name="MIUChon",
        modality=areas["ipsc-cell-therapy"],
        indications="Knee osteoarthritis",
        stage=Stage.PHASE_1,
        designations=["investigator_initiated"],
        teaser="Allogeneic chondrocyte spheroids injected into the knee.",
        confidential_details="Twelve-month cartilage volume data under embargo.",
    )
    ips_bio = OrganizationFactory(
        slug="ips-bio",
        name="iPS Bio",
        native_name="아이피에스바이오",
        kind=Kind.VENTURE,
        country="KR",
        city="",
        lead_stage=Stage.PRECLINICAL,
        description="Neural progenitor cells derived from iPSCs for Huntington's disease.",
        focus_areas=[areas["ipsc-cell-therapy"], areas["neurology"]],
        seeks=[types["co-development"]],
        offers=[types["technology-transfer"]],
    )
    cefobio = OrganizationFactory(
        slug="cefobio",
        name="CEFObio",
        native_name="세포바이오",
        kind=Kind.VENTURE,
        country="KR",
        lead_stage=Stage.PHASE_2,
        description="Osteoblast cell therapy from umbilical cord cells on a hydrogel platform.",
        focus_areas=[areas["msc-cell-therapy"], areas["musculoskeletal"], areas["rare-disease"]],
        seeks=[types["licensing"]],
        offers=[types["licensing"]],
    )
    AssetFactory(
        organization=cefobio,
        slug="cf-m801",
        name="CF-M801",
        modality=areas["msc-cell-therapy"],
        indications="Osteonecrosis of the femoral head",
        stage=Stage.PHASE_2,
        designations=["orphan_mfds", "orphan_ema"],
    )
    takeda = OrganizationFactory(
        slug="takeda",
        name="Takeda Pharmaceutical",
        native_name="武田薬品工業",
        kind=Kind.PHARMA,
        country="JP",
        city="Tokyo",
        lead_stage=Stage.APPROVED,
        description="Global pharma company; founded Shonan iPark.",
        focus_areas=[areas["small-molecule"], areas["adc"], areas["oncology"]],
        seeks=[types["licensing"], types["co-development"]],
        offers=[types["licensing"]],
    )
    astellas = OrganizationFactory(
        slug="astellas",
        name="Astellas Pharma",
        native_name="アステラス製薬",
        kind=Kind.PHARMA,
        country="JP",
        city="Tokyo",
        lead_stage=Stage.APPROVED,
        description="Pharma company with cell therapy from pluripotent stem cells for blindness.",
        focus_areas=[areas["ipsc-cell-therapy"], areas["gene-therapy"], areas["ophthalmology"]],
        seeks=[types["licensing"], types["joint-research"]],
        offers=[types["joint-research"]],
    )
    cmic = OrganizationFactory(
        slug="cmic",
        name="CMIC Group",
        native_name="シミック",
        kind=Kind.CRO_CDMO,
        country="JP",
        city="Tokyo",
        lead_stage=Stage.NOT_APPLICABLE,
        description="Contract research organization: clinical trials and GLP toxicology.",
        focus_areas=[areas["glp-toxicology"], areas["clinical-operations"]],
        seeks=[types["market-entry"]],
        offers=[types["cro-services"], types["regulatory-support"]],
    )
    return SimpleNamespace(
        yipscell=yipscell,
        miuchon=miuchon,
        ips_bio=ips_bio,
        cefobio=cefobio,
        takeda=takeda,
        astellas=astellas,
        cmic=cmic,
        areas=areas,
        types=types,
    )


def generate_organizations(count: int) -> None:
    """`count` synthetic organizations (with assets) in bulk, as the demo command makes them."""
    call_command("generate_demo", organizations=count, seed=1, stdout=StringIO())


@pytest.fixture(scope="module")
def chromium():
    """Real headless Chromium (the system's own), driven by Playwright."""
    with headless_chromium() as browser:
        yield browser


def _new_page(chromium, live_server, **options):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh tab (no cookies) with JavaScript switched off: the app works without it."""
    context, page = _new_page(chromium, live_server, java_script_enabled=False)
    yield page
    context.close()
    connections.close_all()


@pytest.fixture
def phone_page(chromium, live_server):
    """A fresh tab 390 pixels wide, the width of a common phone; JavaScript on, to measure."""
    context, page = _new_page(chromium, live_server, viewport={"width": 390, "height": 844})
    yield page
    context.close()
    connections.close_all()


@pytest.fixture
def desktop_page(chromium, live_server):
    """A fresh tab on a desktop-sized window; JavaScript on, to read focus and styles."""
    context, page = _new_page(chromium, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
