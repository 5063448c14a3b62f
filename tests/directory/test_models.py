"""The database itself refuses states that must never happen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from kbio.directory.models import Asset, FocusArea, Organization, Stage
from tests.factories import (
    AssetFactory,
    ContactFactory,
    FocusAreaFactory,
    OrganizationFactory,
    PartnershipTypeFactory,
)

pytestmark = pytest.mark.django_db


def refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_duplicate_organization_slug_is_refused():
    OrganizationFactory(slug="yipscell")
    assert refused(lambda: OrganizationFactory(slug="yipscell"))


def test_asset_slug_is_unique_per_organization_only():
    first = AssetFactory(slug="miuchon")
    assert refused(lambda: AssetFactory(slug="miuchon", organization=first.organization))
    AssetFactory(slug="miuchon")  # another organization may use the same slug
    assert Asset.objects.filter(slug="miuchon").count() == 2


def test_duplicate_contact_email_in_one_organization_is_refused():
    contact = ContactFactory(email="bd@example.org")
    assert refused(
        lambda: ContactFactory(email="bd@example.org", organization=contact.organization)
    )


def test_invalid_stage_kind_and_founding_year_are_refused_by_the_database():
    org = OrganizationFactory()
    base = Organization.objects.filter(pk=org.pk)
    assert refused(lambda: base.update(lead_stage="phase_9"))
    assert refused(lambda: base.update(kind="hospital"))
    assert refused(lambda: base.update(founded=1200))
    assert refused(lambda: AssetFactory(stage="approved-ish"))


def test_a_focus_area_cannot_be_its_own_parent():
    area = FocusAreaFactory()
    assert refused(lambda: FocusArea.objects.filter(pk=area.pk).update(parent=area))


def test_duplicate_focus_area_and_partnership_type_slugs_are_refused():
    FocusArea.objects.create(kind="modality", slug="adc", name_en="ADC", name_ko="a", name_ja="a")
    assert refused(
        lambda: FocusArea.objects.create(
            kind="modality", slug="adc", name_en="ADC 2", name_ko="b", name_ja="b"
        )
    )
    PartnershipTypeFactory(slug="licensing")
    from kbio.directory.models import PartnershipType

    assert refused(
        lambda: PartnershipType.objects.create(
            slug="licensing", name_en="x", name_ko="x", name_ja="x"
        )
    )


def test_choice_lists_accept_known_codes_and_reject_others():
    org = OrganizationFactory.build(preferred_stages=["phase_1", "phase_2"], languages=["ko"])
    org.full_clean(exclude=["slug"])
    org.preferred_stages = ["phase_1", "phase_9"]
    with pytest.raises(ValidationError) as error:
        org.full_clean(exclude=["slug"])
    assert "phase_9" in str(error.value.message_dict["preferred_stages"])
    org.preferred_stages = ["phase_1", "phase_1"]
    with pytest.raises(ValidationError):
        org.full_clean(exclude=["slug"])


def test_taxonomy_names_follow_the_active_language():
    area = FocusAreaFactory(name_en="Organoids", name_ko="오가노이드", name_ja="オルガノイド")
    with translation.override("ko"):
        assert str(area) == "오가노이드"
    with translation.override("ja"):
        assert str(area) == "オルガノイド"
    with translation.override("en"):
        assert str(area) == "Organoids"


def test_readable_names():
    org = OrganizationFactory(name="YiPSCELL", native_name="입셀")
    asset = AssetFactory(organization=org, name="MIUChon")
    contact = ContactFactory(organization=org, name="Ju Ji-hyeon", native_name="주지현")
    assert str(org) == "YiPSCELL (입셀)"
    assert str(asset) == "MIUChon (YiPSCELL)"
    assert str(contact) == "Ju Ji-hyeon (주지현), YiPSCELL"


def test_stage_choices_are_in_ladder_order():
    assert Stage.values[0] == "discovery"
    assert Stage.values.index("preclinical") < Stage.values.index("phase_1")
    assert Stage.values[-1] == "not_applicable"
