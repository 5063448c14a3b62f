import pytest

from kbio.directory.models import FocusArea, PartnershipType
from tests.factories import FocusAreaFactory, PartnershipTypeFactory


@pytest.fixture
def taxonomy(db):
    """The real taxonomy fixture: 36 focus areas and 15 partnership types."""
    from django.core.management import call_command

    call_command("loaddata", "taxonomy", verbosity=0)
    return {
        "areas": {a.slug: a for a in FocusArea.objects.all()},
        "types": {t.slug: t for t in PartnershipType.objects.all()},
    }


@pytest.fixture
def modality(db):
    return FocusAreaFactory(slug="ipsc-cell-therapy", name_en="iPSC-derived cell therapy")


@pytest.fixture
def licensing(db):
    return PartnershipTypeFactory(slug="licensing", name_en="Licensing")
