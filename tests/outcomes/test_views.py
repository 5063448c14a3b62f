"""The outcome page: the pair and the organizer record; everyone else gets a 404."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from kbio.events.models import RequestStatus
from kbio.outcomes.models import Outcome
from tests.events.factories import MeetingRequestFactory

pytestmark = pytest.mark.django_db


def url(held):
    return reverse("outcomes:record", args=[held.request.event.slug, held.request.pk])


def post(client, held, stage="verification", on="2025-02-10", note="PoC at the park"):
    return client.post(url(held), {"stage": stage, "on": on, "note": note})


def test_anonymous_goes_to_login(anonymous, held):
    response = anonymous.get(url(held))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404_and_records_nothing(charlie, held):
    assert charlie.client.get(url(held)).status_code == 404
    assert post(charlie.client, held).status_code == 404
    assert not Outcome.objects.exists()


def test_a_side_records_and_both_see_the_history(alice, bob, held):
    page = alice.client.get(url(held))
    assert page.status_code == 200
    assert "Your meeting with Bob Org: outcome" in page.content.decode()
    response = post(alice.client, held)
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.stage, outcome.on, outcome.side) == (
        "verification",
        date(2025, 2, 10),
        alice.organization,
    )
    seen_by_bob = bob.client.get(url(held)).content.decode()
    assert "PoC at the park" in seen_by_bob
    assert "Verification (proof of concept)" in seen_by_bob
    assert re.search(r"<td[^>]*>Alice Org</td>", seen_by_bob)  # who recorded it


def test_organizer_records_for_the_pair(staff, held):
    assert staff.get(url(held)).status_code == 200
    assert post(staff, held, stage="joint_rnd").status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.side is None and outcome.recorded_by == staff.user
    assert re.search(r"<td[^>]*>Organizer</td>", staff.get(url(held)).content.decode())


def test_bad_input_rerenders_with_errors(alice, held):
    response = post(alice.client, held, stage="", on="next week")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a stage." in body
    assert "Enter a date such as 2025-03-01." in body
    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = post(alice.client, held, on=future)
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not Outcome.objects.exists()


def test_meeting_not_held_yet_shows_why_and_refuses(alice, held):
    held.meeting.is_published = False
    held.meeting.save()
    page = alice.client.get(url(held)).content.decode()
    assert "once the meeting has taken place" in page
    assert 'name="stage"' not in page
    assert post(alice.client, held).status_code == 400
    assert not Outcome.objects.exists()


def test_a_request_that_is_not_a_meeting_is_404(alice, bob, past_event):
    pending = MeetingRequestFactory(
        event=past_event, requester=bob.participation, recipient=alice.participation
    )
    assert pending.status == RequestStatus.PENDING
    response = alice.client.get(reverse("outcomes:record", args=[past_event.slug, pending.pk]))
    assert response.status_code == 404


def test_the_request_page_and_agenda_link_to_the_outcome(alice, held):
    request_page = alice.client.get(held.request.get_absolute_url()).content.decode()
    assert url(held) in request_page
    agenda = alice.client.get(reverse("events:agenda", args=[held.request.event.slug]))
    assert url(held) in agenda.content.decode()
