"""generate_demo writes plausible organizations in bulk, the same ones for the same seed, with
partnering criteria in proportions like those of the real directory."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kbio.directory.models import (
    Asset,
    Exclusion,
    Interest,
    InvestorMandate,
    Organization,
    Relationship,
    ServiceCapability,
)
from kbio.directory.partnering import BIO_SECTORS
from kbio.lib.stages import STAGE_RANK

pytestmark = pytest.mark.django_db

CRITERIA = (Interest, Exclusion, InvestorMandate, ServiceCapability, Relationship)


def generate(count, seed):
    call_command("generate_demo", organizations=count, seed=seed, stdout=StringIO())


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


def criteria_snapshot():
    """Everything the matching reads beyond the profile, by organization slug."""
    return {
        "intents": sorted(Organization.objects.values_list("slug", "intents")),
        "assets": sorted(
            Asset.objects.values_list(
                "organization__slug", "slug", "direction", "rights_available", "platform_class"
            )
        ),
        "interests": sorted(
            (i.organization.slug, i.slug, i.stage_from, i.stage_to, i.territories)
            + tuple(sorted(m.slug for m in i.modalities.all()))
            + tuple(sorted(a.slug for a in i.therapeutic_areas.all()))
            + tuple(sorted(d.slug for d in i.deal_types.all()))
            for i in Interest.objects.select_related("organization").prefetch_related(
                "modalities", "therapeutic_areas", "deal_types"
            )
        ),
        "exclusions": sorted(
            Exclusion.objects.values_list("organization__slug", "focus_area__slug", "since")
        ),
        "mandates": sorted(
            (m.organization.slug, m.vehicle, m.sectors, m.rounds, [str(c) for c in m.countries])
            for m in InvestorMandate.objects.select_related("organization")
        ),
        "capabilities": sorted(
            (c.organization.slug, c.service.slug, c.all_modalities)
            + tuple(sorted(m.slug for m in c.modalities.all()))
            for c in ServiceCapability.objects.select_related(
                "organization", "service"
            ).prefetch_related("modalities")
        ),
        "relationships": sorted(
            Relationship.objects.values_list("organization__slug", "partner__slug", "kind", "since")
        ),
    }


def share(part, whole):
    return part / whole if whole else 0


def test_same_seed_gives_the_same_organizations_and_rerunning_replaces_them(taxonomy):
    generate(120, seed=7)
    first, first_criteria = snapshot(), criteria_snapshot()
    generate(120, seed=7)
    assert snapshot() == first
    assert criteria_snapshot() == first_criteria
    assert Organization.objects.count() == 120


def test_another_seed_gives_other_organizations(taxonomy):
    generate(50, seed=1)
    generate(50, seed=2)
    seed1 = [row[1:] for row in snapshot() if row[0].startswith("demo-1-")]
    seed2 = [row[1:] for row in snapshot() if row[0].startswith("demo-2-")]
    assert len(seed1) == len(seed2) == 50 and seed1 != seed2


def test_a_smaller_rerun_leaves_only_its_own_criteria_and_other_seeds_alone(taxonomy):
    generate(80, seed=2)
    other_seed = criteria_snapshot()
    generate(400, seed=5)
    generate(150, seed=5)
    rerun = criteria_snapshot()
    Organization.objects.filter(slug__startswith="demo-5-").delete()
    generate(150, seed=5)
    assert criteria_snapshot() == rerun
    Organization.objects.filter(slug__startswith="demo-5-").delete()
    assert criteria_snapshot() == other_seed
    assert Relationship.objects.exists() and Interest.objects.exists()


def test_generated_organizations_are_plausible(taxonomy):
    generate(300, seed=3)
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"venture", "pharma", "cro_cdmo", "investor"} <= kinds
    for org in Organization.objects.filter(kind="venture").prefetch_related("assets"):
        assert org.assets.all(), org.slug
        assert org.focus_areas.filter(kind="modality").exists()
    for org in Organization.objects.filter(kind="cro_cdmo"):
        assert org.focus_areas.filter(kind="service").exists()
        assert org.offers.exists()
    # Pipelines belong to ventures and pharma; a pharma's own programmes are rarely open.
    assert set(Asset.objects.values_list("organization__kind", flat=True)) == {"venture", "pharma"}
    assert not Asset.objects.filter(
        organization__kind="pharma", direction__in=["out_licensing", "co_development"]
    ).exists()


@pytest.fixture
def directory(taxonomy):
    generate(2000, seed=11)
    return {
        kind: Organization.objects.filter(kind=kind).count() for kind in Organization.Kind.values
    }


def test_most_organizations_say_what_they_come_for(directory):
    total = sum(directory.values())
    without = Organization.objects.filter(intents=[]).count()
    assert 0.11 <= share(without, total) <= 0.19
    expected = {
        "venture": "licensees",
        "pharma": "assets",
        "cro_cdmo": "clients",
        "investor": "investees",
        "agency": "supported",
        "academia": "research",
    }
    for kind, intents in Organization.objects.exclude(intents=[]).values_list("kind", "intents"):
        assert expected[kind] in intents, (kind, intents)
    ventures = Organization.objects.filter(kind="venture").exclude(intents=[])
    venture_intents = [i for row in ventures.values_list("intents", flat=True) for i in row]
    assert venture_intents.count("investors") > ventures.count() / 3
    assert 0 < venture_intents.count("providers") < ventures.count() / 4


def test_every_pharma_states_what_it_looks_for(directory):
    pharma = Organization.objects.filter(kind="pharma").prefetch_related(
        "focus_areas",
        "interests__modalities",
        "interests__therapeutic_areas",
        "interests__deal_types",
    )
    interests = windows = own_focus = 0
    for org in pharma:
        own = {a.slug for a in org.focus_areas.all()}
        assert 1 <= len(org.interests.all()) <= 3, org.slug
        for interest in org.interests.all():
            interests += 1
            modalities = list(interest.modalities.all())
            areas = list(interest.therapeutic_areas.all())
            assert 1 <= len(modalities) <= 2 and 1 <= len(areas) <= 2
            assert {m.kind for m in modalities} == {"modality"}
            assert {a.kind for a in areas} == {"therapeutic_area"}
            assert {d.slug for d in interest.deal_types.all()} <= {
                "licensing",
                "co-development",
                "joint-research",
            }
            if interest.stage_from:
                windows += 1
                assert STAGE_RANK[interest.stage_from] <= STAGE_RANK[interest.stage_to]
            own_focus += {m.slug for m in modalities} <= own
    assert 0.5 <= share(windows, interests) <= 0.7
    assert share(own_focus, interests) > 0.75
    research = Interest.objects.filter(organization__kind="pharma", stage_to="lead_optimization")
    assert research.exists()
    assert not research.exclude(deal_types__slug="joint-research").exists()


def test_some_academia_ventures_and_investors_state_an_interest(directory):
    def with_interest(kind):
        return Organization.objects.filter(kind=kind, interests__isnull=False).count()

    assert 0.02 <= share(with_interest("venture"), directory["venture"]) <= 0.15
    assert 0.2 <= share(with_interest("academia"), directory["academia"]) <= 0.6
    assert 0.4 <= share(with_interest("investor"), directory["investor"]) <= 0.8
    assert Interest.objects.filter(organization__kind__in=["cro_cdmo", "agency"]).count() == 0
    # An investor's interest is its investment focus: a stage window and equity.
    for interest in Interest.objects.filter(organization__kind="investor"):
        assert interest.stage_from and interest.stage_to
        assert [d.slug for d in interest.deal_types.all()] == ["equity-investment"]
        assert interest.modalities.exists() and interest.therapeutic_areas.exists()


def test_about_one_pharma_in_ten_has_left_a_modality(directory):
    exclusions = Exclusion.objects.select_related("organization", "focus_area")
    assert 0.05 <= share(exclusions.count(), directory["pharma"]) <= 0.15
    for exclusion in exclusions:
        assert exclusion.organization.kind == "pharma"
        assert exclusion.focus_area.kind == "modality"
        assert date(2023, 1, 1) <= exclusion.since <= date(2026, 12, 31)
        # It does not look for what it left.
        assert not exclusion.organization.interests.filter(modalities=exclusion.focus_area).exists()
        assert not exclusion.organization.focus_areas.filter(pk=exclusion.focus_area_id).exists()


def test_every_investor_has_a_mandate(directory):
    mandates = list(InvestorMandate.objects.select_related("organization"))
    assert len(mandates) == directory["investor"]
    assert {m.organization.kind for m in mandates} == {"investor"}
    funds = [m for m in mandates if m.vehicle == "fund_of_funds"]
    assert 0.04 <= share(len(funds), len(mandates)) <= 0.2
    direct = [m for m in mandates if m.vehicle != "fund_of_funds"]
    non_bio = [m for m in direct if not set(m.sectors) & BIO_SECTORS]
    assert 0.04 <= share(len(non_bio), len(direct)) <= 0.16
    assert share(sum("life_sciences" in m.sectors for m in direct), len(direct)) > 0.5
    assert all(m.rounds for m in direct) and not any(m.rounds for m in funds)
    home = [m for m in mandates if m.organization.country in m.countries]
    assert share(len(home), len(mandates)) > 0.6
    assert all(
        {str(c) for c in m.countries} <= {m.organization.country.code, "KR", "JP"} for m in mandates
    )


def test_providers_name_their_services_and_modalities(directory):
    capabilities = ServiceCapability.objects.select_related("organization", "service")
    by_org = {}
    for capability in capabilities.prefetch_related("modalities"):
        by_org.setdefault(capability.organization, []).append(capability)
        assert capability.service.kind == "service"
        modalities = list(capability.modalities.all())
        if capability.all_modalities:
            assert capability.service.slug in {"clinical-operations", "regulatory-consulting"}
            assert not modalities
        else:
            assert 1 <= len(modalities) <= 4
            assert {m.kind for m in modalities} == {"modality"}
    cros = [org for org in by_org if org.kind == "cro_cdmo"]
    assert len(cros) == directory["cro_cdmo"]
    assert all(2 <= len(by_org[org]) <= 5 for org in cros)
    ventures = [org for org in by_org if org.kind == "venture"]
    assert 0.05 <= share(len(ventures), directory["venture"]) <= 0.2
    for org in ventures:
        assert 1 <= len(by_org[org]) <= 2
        assert org.offers.filter(slug__in=["cro-services", "cdmo-manufacturing"]).exists()
        assert "clients" in org.intents or not org.intents
    assert {org.kind for org in by_org} == {"cro_cdmo", "venture"}


def test_assets_say_what_their_owners_want_done_with_them(directory):
    def directions(kind):
        rows = list(
            Asset.objects.filter(organization__kind=kind).values_list("direction", flat=True)
        )
        return {d: share(rows.count(d), len(rows)) for d in set(rows)}

    venture = directions("venture")
    assert venture["out_licensing"] + venture["co_development"] > 0.8
    assert 0 < venture.get("partnered", 0) < 0.15
    pharma = directions("pharma")
    assert pharma["in_house"] + pharma["partnered"] > 0.8
    assert 0 < pharma.get("divesting", 0) < 0.15
    classes = Asset.objects.exclude(platform_class="")
    assert set(classes.values_list("modality__slug", flat=True)) <= {"adc", "antibody"}
    assert classes.values("platform_class").distinct().count() <= 4
    # Some pharma own a platform of a class some ventures also use: they compete for it.
    pharma_classes = set(
        classes.filter(organization__kind="pharma").values_list("platform_class", flat=True)
    )
    venture_classes = set(
        classes.filter(organization__kind="venture").values_list("platform_class", flat=True)
    )
    assert pharma_classes & venture_classes
    assert Asset.objects.filter(organization__kind="venture").exclude(rights_available=[]).exists()


def test_about_one_organization_in_twenty_already_works_with_another(directory):
    total = sum(directory.values())
    relationships = Relationship.objects.select_related("organization", "partner")
    assert 0.03 <= share(relationships.count(), total) <= 0.07
    for relationship in relationships:
        # Both sides are organizations of the same run, so re-running removes them together.
        assert relationship.organization.slug.startswith("demo-11-")
        assert relationship.partner.slug.startswith("demo-11-")
        assert relationship.partner != relationship.organization
        assert date(2016, 1, 1) <= relationship.since <= date(2026, 1, 1)
    kinds = set(relationships.values_list("kind", flat=True))
    assert {"tenancy", "client"} <= kinds


def test_generated_criteria_are_unsourced_and_checked_on_a_fixed_day(directory):
    for model in CRITERIA:
        assert model.objects.exists(), model
        assert set(model.objects.values_list("source_url", "checked_on")) == {
            ("", date(2026, 1, 1))
        }
    assert not Organization.objects.exclude(description_ko="", description_ja="").exists()


def test_it_writes_in_bulk_not_row_by_row(taxonomy):
    with CaptureQueriesContext(connection) as queries:
        generate(1000, seed=4)
    rows = Organization.objects.count() + sum(model.objects.count() for model in CRITERIA)
    assert rows > 1000
    assert len(queries) < 1000 / 4


def test_without_taxonomy_it_explains_what_to_do(db):
    with pytest.raises(CommandError, match="loaddata taxonomy"):
        call_command("generate_demo", organizations=10, seed=1)
