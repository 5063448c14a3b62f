"""Owner / counterpart / outsider fixtures for the partnering event (alice, bob, charlie).

alice speaks for a Korean venture, bob for a Japanese pharma company, charlie for a CRO; all
three organizations are registered for `event`, an event open for requests with one
partnering session of three slots and two tables.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from kbio.directory.models import Contact, Organization
from kbio.events.models import RequestStatus, TimeSlot
from tests.events.factories import (
    AttendeeFactory,
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
    SessionFactory,
    TableFactory,
    TimeSlotFactory,
    delegate,
)
from tests.factories import AssetFactory, OrganizationFactory


@dataclass
class Party:
    user: object
    contact: Contact
    organization: Organization
    participation: object
    client: Client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with the production hasher dominates these tests' time; the hasher is not
    what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_urls():
    """reverse() follows the active language, and a request to /ko/ or /ja/ leaves that
    language active in the thread; start every test from English."""
    with translation.override("en"):
        yield


@pytest.fixture
def event(db):
    event = EventFactory(slug="spring-partnering", name="Spring Partnering Day")
    session = SessionFactory(event=event)
    for i in range(3):
        TimeSlotFactory(session=session, starts_at=session.starts_at + timedelta(minutes=30 * i))
    TableFactory(event=event, number=1)
    TableFactory(event=event, number=2)
    return event


def make_party(event, username, *, language="", **organization) -> Party:
    org = OrganizationFactory(
        slug=f"{username}-org", name=f"{username.capitalize()} Org", **organization
    )
    user, contact = delegate(org, username=username, language=language)
    participation = ParticipationFactory(event=event, organization=org)
    AttendeeFactory(participation=participation, contact=contact)
    client = Client()
    client.force_login(user)
    return Party(user, contact, org, participation, client)


@pytest.fixture
def alice(event):
    return make_party(event, "alice", kind="venture", country="KR", languages=["ko", "en"])


@pytest.fixture
def bob(event):
    return make_party(event, "bob", kind="pharma", country="JP", languages=["ja", "en"])


@pytest.fixture
def charlie(event):
    return make_party(event, "charlie", kind="cro_cdmo", country="JP", languages=["en"])


@pytest.fixture
def alice_asset(alice):
    return AssetFactory(
        organization=alice.organization,
        slug="kb-101",
        name="KB-101",
        teaser="An iPSC-derived cartilage therapy.",
        confidential_details="Confidential: 12-month efficacy data in a large-animal model.",
    )


@pytest.fixture
def ab_request(alice, bob):
    """alice's pending request to bob."""
    return MeetingRequestFactory(
        event=alice.participation.event,
        requester=alice.participation,
        recipient=bob.participation,
        sent_by=alice.user,
        message="We would like to present KB-101.",
    )


@pytest.fixture
def ab_meeting(ab_request, event):
    """alice's request to bob, accepted and published: 14:30–14:55 in Tokyo at Table 2."""
    ab_request.status = RequestStatus.ACCEPTED
    ab_request.save()
    return MeetingFactory(
        request=ab_request,
        slot=TimeSlot.objects.of_event(event)[1],
        table=event.tables.get(number=2),
        is_published=True,
    )


@pytest.fixture
def fixture_organizations(db):
    """The real taxonomy and organizations that kbio2025.json and the demo refer to."""
    from django.core.management import call_command

    call_command("loaddata", "taxonomy", "organizations", verbosity=0)
    return {org.slug: org for org in Organization.objects.all()}


@pytest.fixture
def anonymous():
    return Client()
