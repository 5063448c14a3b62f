"""The personal start page: a member's organization, next steps at each event, requests
waiting for an answer with their fit, meetings, suggestions and shortlist."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kbio.events.models import EventStatus
from tests.events.conftest import make_party
from tests.events.factories import EventFactory, MeetingRequestFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_anonymous_visitors_get_the_front_page():
    page = Client().get("/")
    assert page.status_code == 200
    assert "Browse the directory" in page.content.decode()
    assert "My organization" not in page.content.decode()


def test_a_member_gets_a_personal_start_page(bob, ab_request):
    page = bob.client.get("/")
    body = text(page)
    assert "Welcome, Bob" in body
    assert "Bob Org" in body and "My organization" in body
    assert "Requests waiting for your answer" in body
    assert "Alice Org" in body
    assert (
        reverse("events:request", args=[ab_request.event.slug, ab_request.pk])
        in page.content.decode()
    )
    assert re.search(r"fit \d+", body), body  # the matching's fit of the requester


def test_requests_sort_by_fit(bob, charlie, ab_request, event):
    MeetingRequestFactory(
        event=event,
        requester=charlie.participation,
        recipient=bob.participation,
        sent_by=charlie.user,
        message="CRO services",
    )
    body = text(bob.client.get("/?sort=fit"))
    scores = [int(n) for n in re.findall(r"fit (\d+)", body)]
    assert len(scores) == 2
    assert scores == sorted(scores, reverse=True)
    assert "Best fit first" in body
    # A hostile sort falls back to the default.
    assert bob.client.get("/?sort=%00").status_code == 200


def test_a_published_meeting_is_on_both_start_pages(alice, bob, ab_meeting):
    for party, partner in ((alice, "Bob Org"), (bob, "Alice Org")):
        body = text(party.client.get("/"))
        meetings = body.split("Your meetings", 1)[1]
        assert partner in meetings and str(ab_meeting.table) in meetings


def test_sent_requests_show_with_their_state(alice, ab_request):
    body = text(alice.client.get("/"))
    assert "Meetings you asked for" in body
    assert "Bob Org" in body.split("Meetings you asked for", 1)[1]


def test_next_steps_name_what_to_do_at_each_event(alice, bob, ab_request):
    other = EventFactory(slug="autumn", name="Autumn Partnering", status=EventStatus.OPEN)
    bob_body = text(bob.client.get("/"))
    assert "Answer the request waiting for you" in bob_body
    assert "Autumn Partnering" in bob_body
    assert reverse("events:register", args=[other.slug]) in bob.client.get("/").content.decode()
    # Once the schedule is out, the step is the agenda.
    ab_request.event.status = EventStatus.PUBLISHED
    ab_request.event.save()
    page = bob.client.get("/").content.decode()
    assert reverse("events:agenda", args=[ab_request.event.slug]) in page
    assert "Answer the request" not in page


def test_a_login_without_an_organization_gets_the_front_page(organizer):
    page = organizer.get("/")
    assert "Browse the directory" in page.content.decode()


@pytest.mark.parametrize("senders", [2, 10])
def test_query_count_does_not_grow(bob, event, senders, django_assert_num_queries):
    for i in range(senders):
        sender = make_party(event, f"sender{i}", kind="venture", country="KR")
        MeetingRequestFactory(
            event=event,
            requester=sender.participation,
            recipient=bob.participation,
            sent_by=sender.user,
            message=f"Request {i}",
        )
    bob.client.get("/")  # builds the matching index once
    with django_assert_num_queries(15):
        response = bob.client.get("/")
    assert len(re.findall(r"fit \d+", text(response))) == senders
