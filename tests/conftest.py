import pytest

from kbio.directory.models import FocusArea, PartnershipType
from tests.factories import FocusAreaFactory, PartnershipTypeFactory


@pytest.fixture
def taxonomy(db):
    """The real taxonomy fixture: 39 focus areas and 15 partnership types."""
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


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request to /ko/ or /ja/ leaves its language active in the thread; start each test in
    English so that reverse() and labels do not depend on the order of the tests."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page, throttle count or data version of
    another test's rows (the cache is not rolled back with the database)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
