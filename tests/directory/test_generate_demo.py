"""generate_demo writes plausible organizations in bulk, the same ones for the same seed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kbio.directory.models import Asset, Organization

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        (
            org.slug,
            org.name,
            org.kind,
            org.country.code,
            org.lead_stage,
            tuple(sorted(a.slug for a in org.focus_areas.all())),
            tuple(sorted((a.name, a.stage, a.modality.slug) for a in org.assets.all())),
        )
        for org in Organization.objects.prefetch_related("focus_areas", "assets__modality")
    ]


def test_same_seed_gives_the_same_organizations_and_rerunning_replaces_them(taxonomy):
    call_command("generate_demo", organizations=120, seed=7)
    first = snapshot()
    call_command("generate_demo", organizations=120, seed=7)
    assert snapshot() == first
    assert Organization.objects.count() == 120


def test_another_seed_gives_other_organizations(taxonomy):
    call_command("generate_demo", organizations=50, seed=1)
    call_command("generate_demo", organizations=50, seed=2)
    seed1 = [row[1:] for row in snapshot() if row[0].startswith("demo-1-")]
    seed2 = [row[1:] for row in snapshot() if row[0].startswith("demo-2-")]
    assert len(seed1) == len(seed2) == 50 and seed1 != seed2


def test_generated_organizations_are_plausible(taxonomy):
    call_command("generate_demo", organizations=300, seed=3)
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"venture", "pharma", "cro_cdmo", "investor"} <= kinds
    for org in Organization.objects.filter(kind="venture").prefetch_related("assets"):
        assert org.assets.all(), org.slug
        assert org.focus_areas.filter(kind="modality").exists()
    for org in Organization.objects.filter(kind="cro_cdmo"):
        assert org.focus_areas.filter(kind="service").exists()
        assert org.offers.exists()
    assert Asset.objects.exclude(organization__kind="venture").count() == 0


def test_without_taxonomy_it_explains_what_to_do(db):
    with pytest.raises(CommandError, match="loaddata taxonomy"):
        call_command("generate_demo", organizations=10, seed=1)
