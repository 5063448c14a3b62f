"""The event's alice (a Korean venture), bob (a Japanese pharma) and charlie (a CRO), reused
from the events tests, plus an organizer."""

import pytest
from django.test import Client

from tests.events.conftest import (  # noqa: F401  (fixtures)
    ab_meeting,
    ab_request,
    alice,
    anonymous,
    bob,
    charlie,
    english_urls,
    event,
    fast_password_hashing,
)
from tests.factories import OrganizerFactory


@pytest.fixture
def organizer(db):
    client = Client()
    client.force_login(OrganizerFactory())
    return client
