"""Profiles and partner suggestions lead a participant straight to a meeting request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kbio.events.models import Event, EventStatus
from kbio.matching.services import match_index_invalidate
from tests.events.factories import ParticipationFactory
from tests.factories import FocusAreaFactory, OrganizationFactory, PartnershipTypeFactory

pytestmark = pytest.mark.django_db


def profile(client, organization):
    return client.get(f"/organizations/{organization.slug}/").content.decode()


def test_profile_offers_a_request_when_both_take_part_in_an_open_event(alice, bob):
    page = profile(alice.client, bob.organization)
    assert "Request a meeting · Spring Partnering Day" in page
    assert f'href="/events/spring-partnering/request/{bob.organization.slug}/"' in page


def test_profile_shows_the_request_already_sent_instead(alice, bob, ab_request):
    page = profile(alice.client, bob.organization)
    assert "Request sent · Spring Partnering Day" in page
    assert f'href="/events/spring-partnering/requests/{ab_request.pk}/"' in page
    assert "Request a meeting ·" not in page
    # bob sees that alice asked and can answer from her profile
    page = profile(bob.client, alice.organization)
    assert "They asked you · answer (Spring Partnering Day)" in page


def test_no_request_button_without_a_shared_open_event(alice, bob, client):
    outsider = OrganizationFactory(slug="not-registered")
    assert "Request a meeting" not in profile(alice.client, outsider)
    assert "Request a meeting" not in profile(alice.client, alice.organization)
    assert "Request a meeting" not in profile(client, bob.organization)  # anonymous
    Event.objects.filter(pk=alice.participation.event_id).update(
        requests_open_until=timezone.now() - timedelta(minutes=1)
    )
    assert "Request a meeting" not in profile(alice.client, bob.organization)
    Event.objects.filter(pk=alice.participation.event_id).update(
        requests_open_until=None, status=EventStatus.CLOSED
    )
    assert "Request a meeting" not in profile(alice.client, bob.organization)


@pytest.mark.parametrize("others", [3, 30])
def test_profile_with_request_buttons_costs_the_same_queries(
    alice, bob, others, django_assert_num_queries
):
    event = alice.participation.event
    for n in range(others):
        ParticipationFactory(event=event, organization=OrganizationFactory(slug=f"other-{n}"))
    # organization, focus areas, seeks, offers, assets, the ten reads of the partnering
    # criteria, session, user, contacts, delegate, then the viewer's open events, the
    # profile's participations and live requests, and what the viewer's organization said of
    # this one (its shortlist entry and not-interested mark)
    with django_assert_num_queries(24):
        page = profile(alice.client, bob.organization)
    assert "Request a meeting · Spring Partnering Day" in page


def test_own_suggestions_carry_request_buttons_for_registered_partners(alice, bob, charlie):
    ipsc = FocusAreaFactory(slug="ipsc-cell-therapy", kind="modality")
    bone = FocusAreaFactory(slug="musculoskeletal", kind="therapeutic_area")
    licensing = PartnershipTypeFactory(slug="licensing")
    for party in (alice, bob, charlie):
        party.organization.focus_areas.add(ipsc, bone)
    alice.organization.offers.add(licensing)
    bob.organization.seeks.add(licensing)
    unregistered = OrganizationFactory(slug="unregistered-pharma", kind="pharma", country="JP")
    unregistered.focus_areas.add(ipsc, bone)
    unregistered.seeks.add(licensing)
    match_index_invalidate()
    page = alice.client.get(f"/organizations/{alice.organization.slug}/matches/").content.decode()
    assert bob.organization.name in page and unregistered.name in page
    assert f'href="/events/spring-partnering/request/{bob.organization.slug}/"' in page
    assert "/request/unregistered-pharma/" not in page
    # someone else's suggestions do not offer to send requests in alice's name
    page = bob.client.get(f"/organizations/{alice.organization.slug}/matches/").content.decode()
    assert "Request a meeting" not in page
