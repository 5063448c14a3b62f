"""Two participants that asked each other and both accepted meet once, and every page says so:
the organizer's schedule page and dashboard, the participant's agenda page, the schedule e-mail
and the calendar file count one meeting for the pair."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from kbio.events import pairs
from kbio.events.models import EventStatus, Meeting, RequestStatus
from tests.events.factories import MeetingRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mutual(event, alice, bob):
    """alice asked bob and bob asked alice; both accepted; requests are closed."""
    first = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    back = MeetingRequestFactory(
        event=event,
        requester=bob.participation,
        recipient=alice.participation,
        status=RequestStatus.ACCEPTED,
    )
    event.status = EventStatus.CLOSED
    event.save()
    return first, back


def schedule_and_publish(staff, event, capture):
    assert (
        staff.post(
            reverse("organizer:schedule_run", args=[event.slug]), {"mode": "run"}
        ).status_code
        == 302
    )
    with capture(execute=True):
        response = staff.post(reverse("organizer:schedule_publish", args=[event.slug]))
    assert response.status_code == 302


def schedule_page(staff, event) -> dict:
    html = staff.get(reverse("organizer:schedule", args=[event.slug])).content.decode()
    accepted = re.search(r"<dt>Accepted \w+</dt><dd>(\d+)</dd>", html)
    placed = re.search(r"<dt>Meetings placed</dt><dd>(\d+)</dd>", html)
    short = {
        name: (int(got), int(wanted))
        for name, got, wanted in re.findall(
            r"<tr><td>([^<]+)</td><td class=\"num\" data-label=\"Placed\">(\d+)</td>"
            r"<td class=\"num\" data-label=\"Accepted\">(\d+)</td></tr>",
            html,
        )
    }
    return {"accepted": int(accepted[1]), "placed": int(placed[1]), "short": short}


def dashboard_meetings_of_alice(staff, event) -> int:
    html = staff.get(reverse("organizer:dashboard", args=[event.slug])).content.decode()
    row = re.search(r"Alice Org</a>.*?data-label=\"Meetings\">(\d+)</td>", html, re.S)
    return int(row[1])


def agenda_page(party, event) -> str:
    return party.client.get(reverse("events:agenda", args=[event.slug])).content.decode()


def calendar_events(party, event) -> int:
    body = party.client.get(reverse("events:agenda_ics", args=[event.slug])).content
    return len(Calendar.from_ical(body).walk("VEVENT"))


def schedule_email_to(party) -> str:
    (message,) = [m for m in mail.outbox if party.contact.email in m.to]
    return message.body


def test_a_mutual_pair_placed_as_one_meeting_counts_one_everywhere(
    staff, event, alice, bob, mutual, django_capture_on_commit_callbacks
):
    schedule_and_publish(staff, event, django_capture_on_commit_callbacks)
    assert Meeting.objects.count() == 1

    figures = schedule_page(staff, event)
    assert figures == {"accepted": 1, "placed": 1, "short": {}}
    assert "Participants with fewer meetings than they accepted" not in (
        staff.get(reverse("organizer:schedule", args=[event.slug])).content.decode()
    )
    assert dashboard_meetings_of_alice(staff, event) == 1
    for party, partner in ((alice, "Bob Org"), (bob, "Alice Org")):
        agenda = agenda_page(party, event)
        assert "1 accepted meeting · 1 with time and table" in agenda
        assert "time to be announced" not in agenda
        assert agenda.count(f">{partner}</a>") == 1
        assert calendar_events(party, event) == 1
        body = schedule_email_to(party)
        # (in the reader's language: the partner on one meeting line, not on the unplaced list)
        assert body.count(partner) == 1
        assert f"- {partner}" not in body


def test_a_mutual_pair_left_unplaced_counts_one_everywhere(
    staff, event, alice, bob, mutual, django_capture_on_commit_callbacks
):
    # alice is away all day: the pair can never meet.
    alice.participation.blocked_slots.set(event.sessions.get().slots.all())
    schedule_and_publish(staff, event, django_capture_on_commit_callbacks)
    assert not Meeting.objects.exists()

    figures = schedule_page(staff, event)
    assert figures == {
        "accepted": 1,
        "placed": 0,
        "short": {"Alice Org": (0, 1), "Bob Org": (0, 1)},
    }
    html = staff.get(reverse("organizer:schedule", args=[event.slug])).content.decode()
    assert "1 meeting could not be placed" in html
    assert dashboard_meetings_of_alice(staff, event) == 1
    for party, partner in ((alice, "Bob Org"), (bob, "Alice Org")):
        agenda = agenda_page(party, event)
        assert "1 accepted meeting · 0 with time and table" in agenda
        assert agenda.count(f">{partner}</a>") == 1
        assert calendar_events(party, event) == 0
        body = schedule_email_to(party)
        assert body.count(partner) == 1
        assert f"- {partner}" in body


def test_the_older_request_carries_the_meeting_unless_the_newer_one_is_published():
    older = pairs.RequestRow(pk=3, requester=10, recipient=20, published=False)
    newer = pairs.RequestRow(pk=7, requester=20, recipient=10, published=False)
    other = pairs.RequestRow(pk=5, requester=10, recipient=30, published=False)
    folded = pairs.fold([newer, other, older])
    assert [row.pk for row in folded.kept] == [3, 5]
    assert folded.twins == {7: 3}
    assert folded.per_participant() == {10: 2, 20: 1, 30: 1}

    folded = pairs.fold([older, newer._replace(published=True)])
    assert [row.pk for row in folded.kept] == [7]
    assert folded.twins == {3: 7}
