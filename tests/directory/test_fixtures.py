"""The fixtures load cleanly, load twice without change, and a broken fixture is rejected whole."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.db import models

from kbio.directory.models import FocusArea, Organization, PartnershipType


def counts():
    return (
        FocusArea.objects.count(),
        PartnershipType.objects.count(),
        Organization.objects.count(),
    )


@pytest.mark.django_db
def test_taxonomy_loads_twice_without_duplicates():
    call_command("loaddata", "taxonomy", verbosity=0)
    first = counts()
    call_command("loaddata", "taxonomy", verbosity=0)
    assert counts() == first == (39, 15, 0)
    assert FocusArea.objects.get(slug="tumor-microenvironment").parent.slug == "oncology"
    assert set(FocusArea.objects.values_list("kind", flat=True)) == set(FocusArea.Kind.values)


@pytest.mark.django_db
def test_every_focus_area_and_partnership_type_has_three_names():
    call_command("loaddata", "taxonomy", verbosity=0)
    for item in [*FocusArea.objects.all(), *PartnershipType.objects.all()]:
        assert item.name_en and item.name_ko and item.name_ja, item.slug
        assert item.name_ko != item.name_en and item.name_ja != item.name_en, item.slug


def write_fixture(tmp_path, objects) -> str:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def organization(slug, **fields):
    data = {
        "slug": slug,
        "name": slug.title(),
        "kind": "venture",
        "country": "KR",
        "lead_stage": "preclinical",
        "focus_areas": [["ipsc-cell-therapy"]],
    }
    data.update(fields)
    return {"model": "directory.organization", "fields": data}


@pytest.mark.django_db
def test_unknown_focus_area_rejects_the_whole_fixture_and_names_the_object(tmp_path):
    call_command("loaddata", "taxonomy", verbosity=0)
    before = counts()
    path = write_fixture(
        tmp_path,
        [
            organization("good-venture"),
            organization("broken-venture", focus_areas=[["no-such-area"]]),
        ],
    )
    with pytest.raises(DeserializationError) as error:
        call_command("loaddata", path, verbosity=0)
    message = str(error.value)
    assert 'directory.organization "broken-venture"' in message
    assert "no-such-area" in message
    assert counts() == before
    assert not Organization.objects.filter(slug="good-venture").exists()


@pytest.mark.django_db
def test_bad_stage_rejects_the_whole_fixture_and_names_the_object(tmp_path):
    call_command("loaddata", "taxonomy", verbosity=0)
    before = counts()
    path = write_fixture(
        tmp_path,
        [organization("good-venture"), organization("staged-venture", lead_stage="phase_9")],
    )
    with pytest.raises(DeserializationError) as error:
        call_command("loaddata", path, verbosity=0)
    message = str(error.value)
    assert 'directory.organization "staged-venture"' in message
    assert "lead_stage" in message and "phase_9" in message
    assert counts() == before


@pytest.mark.django_db
def test_bad_asset_names_its_organization(tmp_path):
    call_command("loaddata", "taxonomy", verbosity=0)
    path = write_fixture(
        tmp_path,
        [
            organization("venture-a"),
            {
                "model": "directory.asset",
                "fields": {
                    "organization": ["venture-a"],
                    "slug": "va-001",
                    "name": "VA-001",
                    "modality": ["ipsc-cell-therapy"],
                    "stage": "preclinical",
                    "designations": ["orphan_mars"],
                },
            },
        ],
    )
    with pytest.raises(DeserializationError) as error:
        call_command("loaddata", path, verbosity=0)
    assert 'directory.asset "va-001" of venture-a' in str(error.value)
    assert "orphan_mars" in str(error.value)
    assert not Organization.objects.filter(slug="venture-a").exists()


@pytest.mark.django_db
def test_missing_fixture_is_an_error():
    with pytest.raises(CommandError):
        call_command("loaddata", "no-such-fixture", verbosity=0)


CHUNGBUK_ZONE_COMPANIES = {
    "cefobio",
    "yipscell",
    "ips-bio",
    "cuepeak-bio",
    "youth-bio-global",
    "organoid-sciences",
    "markherz",
    "re-code",
}


def directory_state():
    from kbio.directory.models import Asset

    return sorted(
        (
            org.slug,
            org.name,
            org.kind,
            org.lead_stage,
            org.updated.isoformat(),
            tuple(sorted(a.slug for a in org.focus_areas.all())),
            tuple(sorted(a.slug for a in org.seeks.all())),
            tuple(sorted(a.slug for a in org.offers.all())),
        )
        for org in Organization.objects.prefetch_related("focus_areas", "seeks", "offers")
    ), sorted(Asset.objects.values_list("organization__slug", "slug", "stage"))


@pytest.mark.django_db
def test_real_organizations_load_twice_with_the_expected_counts():
    from kbio.directory.models import Asset

    call_command("loaddata", "taxonomy", "organizations", verbosity=0)
    first = directory_state()
    call_command("loaddata", "taxonomy", "organizations", verbosity=0)
    assert directory_state() == first
    assert Organization.objects.count() == 60
    assert Asset.objects.count() == 38
    by_kind = dict(
        Organization.objects.values_list("kind").annotate(n=models.Count("id")).order_by()
    )
    assert by_kind == {
        "venture": 20,
        "pharma": 15,
        "cro_cdmo": 10,
        "agency": 9,
        "investor": 3,
        "academia": 3,
    }


@pytest.mark.django_db
def test_real_fixture_respects_what_the_sources_say():
    call_command("loaddata", "taxonomy", "organizations", verbosity=0)
    slugs = set(Organization.objects.values_list("slug", flat=True))
    assert CHUNGBUK_ZONE_COMPANIES <= slugs
    # Takeda left cell therapy in October 2025: it must not look for cell-therapy assets.
    takeda = Organization.objects.get(slug="takeda")
    cell_therapy = {"ipsc-cell-therapy", "msc-cell-therapy", "immune-cell-therapy"}
    assert not cell_therapy & set(takeda.focus_areas.values_list("slug", flat=True))
    # Korean organizations carry their Korean name, Japanese ones their Japanese name.
    for org in Organization.objects.filter(country="KR").exclude(native_name=""):
        assert any("\uac00" <= ch <= "\ud7a3" for ch in org.native_name), org.slug
    assert Organization.objects.get(slug="astellas").native_name == "アステラス製薬"
    # Real programmes are present with their stage and designations.
    cefobio = Organization.objects.get(slug="cefobio")
    cf_m801 = cefobio.assets.get(name__startswith="CF-M801")
    assert {"orphan_mfds", "orphan_ema"} <= set(cf_m801.designations)
    sumitomo_parkinson = Organization.objects.get(slug="sumitomo-pharma").assets.get(
        indications__icontains="Parkinson"
    )
    # Conditionally approved in Japan on 2026-03-06 (AMCHEPRY); Sumitomo Pharma holds the approval.
    assert sumitomo_parkinson.stage == "approved"
    # No confidential details are invented for real companies.
    from kbio.directory.models import Asset

    assert not Asset.objects.exclude(confidential_details="").exists()
