"""Hostile or careless input on the participants' pages and in what they produce: names with
line breaks (Excel's Alt+Enter), ids too large for any column, a NUL in a link, dates outside
the years an event can fall in. None of it is a server error; a bad value is refused where it
is typed, and what the database already holds cannot break a calendar file or a publish."""

from datetime import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kbio.directory.models import Contact, Organization
from kbio.events.models import (
    MESSAGE_MAX_LENGTH,
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    RequestStatus,
    TimeSlot,
)
from kbio.scheduling.service import publish_schedule
from tests.events.factories import MeetingFactory, MeetingRequestFactory
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"
HUGE = "99999999999999999999999"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def rename(organization: Organization, name: str) -> None:
    # As the CSV import stored it before names were checked: straight into the database.
    Organization.objects.filter(pk=organization.pk).update(name=name)


# --- item 2: line breaks in names -------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Alice\nOrg"),
        ("name", "Alice\r\nOrg"),
        ("native_name", "앨리스\t제약"),
        ("city", "Seoul\x00"),
        ("name", "Alice\u2028Org"),
    ],
)
def test_an_organization_name_is_one_line(alice, field, value):
    organization = alice.organization
    setattr(organization, field, value)
    with pytest.raises(ValidationError) as refused:
        organization.full_clean()
    assert refused.value.message_dict[field] == [
        "Write this on one line, without line breaks, tabs or control characters."
    ]


def test_event_and_contact_names_are_one_line(event, alice):
    event.name = "Spring\nPartnering"
    event.venue = "Hall\tA"
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert set(refused.value.message_dict) == {"name", "venue"}
    contact = Contact(organization=alice.organization, name="Kim\nMin-ji", email="k@example.org")
    with pytest.raises(ValidationError) as refused:
        contact.full_clean()
    assert set(refused.value.message_dict) == {"name"}


def test_a_description_keeps_its_line_breaks_but_no_nul(event, alice):
    event.description = "Day one: pitches.\r\nDay two: meetings."
    event.full_clean()
    alice.organization.description = "A venture.\x00"
    with pytest.raises(ValidationError) as refused:
        alice.organization.full_clean()
    assert refused.value.message_dict["description"] == [
        "Remove the control characters from this text."
    ]


def test_a_line_break_already_stored_in_names_leaves_the_calendar_readable(alice, bob, ab_meeting):
    rename(alice.organization, "Alice\r\nOrg")
    rename(bob.organization, "Bob\nOrg\x0b")
    Event.objects.filter(pk=ab_meeting.request.event_id).update(
        name="Spring\nPartnering Day", venue="Shonan\niPark"
    )
    for party in (alice, bob):
        response = party.client.get(reverse("events:agenda_ics", args=[EVENT]))
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.content)
        (meeting,) = calendar.events
        assert "\n" not in str(calendar["X-WR-CALNAME"])
        assert "\n" not in str(meeting["LOCATION"])
        assert "\x0b" not in response.content.decode()
    summary = str(
        icalendar.Calendar.from_ical(
            alice.client.get(reverse("events:agenda_ics", args=[EVENT])).content
        ).events[0]["SUMMARY"]
    )
    assert summary == "Meeting: Bob Org"


@pytest.fixture
def scheduled(event, alice, bob, charlie):
    """alice's accepted request to bob placed but not published; charlie has no meeting."""
    meeting_request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=meeting_request,
        slot=TimeSlot.objects.of_event(event)[1],
        table=event.tables.get(number=2),
        is_published=False,
    )
    Event.objects.filter(pk=event.pk).update(status=EventStatus.SCHEDULED)
    event.refresh_from_db()
    return event


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_a_line_break_in_a_name_does_not_stop_the_publish_emails(
    scheduled, alice, bob, charlie, django_capture_on_commit_callbacks
):
    rename(alice.organization, "Alice\nOrg")
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_schedule(event=scheduled) == 1
    assert recipients() == {"alice@example.org", "bob@example.org", "charlie@example.org"}
    scheduled.refresh_from_db()
    assert scheduled.status == EventStatus.PUBLISHED
    assert Meeting.objects.get().is_published


def test_an_email_that_fails_is_logged_and_the_others_still_leave(
    scheduled, alice, bob, charlie, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.core.mail import EmailMultiAlternatives

    send = EmailMultiAlternatives.send

    def refuse_bob(message, *args, **kwargs):
        if "bob@example.org" in message.to:
            raise OSError("mail server refused the message")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_bob)
    with django_capture_on_commit_callbacks(execute=True):
        publish_schedule(event=scheduled)
    assert recipients() == {"alice@example.org", "charlie@example.org"}
    assert "Email not sent: schedule of bob-org" in caplog.text
    scheduled.refresh_from_db()
    assert scheduled.status == EventStatus.PUBLISHED


def test_a_request_email_that_fails_does_not_undo_the_request_page(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMultiAlternatives

    def refuse(message, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.post(
            reverse("events:request_create", args=[EVENT, bob.organization.slug]),
            {"message": "Shall we meet about KB-101?"},
        )
    assert response.status_code == 302
    assert MeetingRequest.objects.filter(recipient=bob.participation).count() == 1


# --- item 3: dates outside the years an event can fall in -------------------------------------


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_the_request_window_refuses_a_date_out_of_range(event, year):
    event.requests_open_until = datetime(year, 12, 31, 12, 0, tzinfo=event.tzinfo)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert (
        "Enter a date between 2000-01-01 and 2100-12-31."
        in refused.value.message_dict["requests_open_until"]
    )


# --- item 7: other bad input --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["\x00", "kb-101\x00", "ä", "x" * 500, "../kb-101"])
def test_a_nul_or_odd_asset_in_the_request_link_is_not_found(alice, bob, value):
    url = reverse("events:request_create", args=[EVENT, bob.organization.slug])
    response = alice.client.get(url, {"asset": value})
    assert response.status_code == 200
    assert "That asset was not found; choose one below if you like." in response.content.decode()


def test_an_id_too_large_for_any_column_is_an_invalid_slot(bob, event):
    url = reverse("events:availability", args=[EVENT])
    response = bob.client.post(url, {"blocked_slots": [HUGE]})
    assert response.status_code == 200
    assert f"“{HUGE}” is not a valid value." in response.content.decode()
    assert not bob.participation.blocked_slots.exists()
    first = TimeSlot.objects.of_event(event).first()
    response = bob.client.post(url, {"blocked_slots": [str(first.pk), "-" + HUGE]})
    assert response.status_code == 200
    assert not bob.participation.blocked_slots.exists()


def test_an_id_too_large_for_any_column_is_an_invalid_delegate(alice):
    url = reverse("events:register", args=[EVENT])
    response = alice.client.post(url, {"delegates": [str(alice.contact.pk), HUGE]})
    assert response.status_code == 200
    assert f"“{HUGE}” is not a valid value." in response.content.decode()
    response = alice.client.post(url, {"delegates": ["\x00"]})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


# --- item 11: one length for a request's message -----------------------------------------------


def test_a_request_message_longer_than_the_form_allows_is_refused_by_the_model(ab_request):
    ab_request.message = "x" * (MESSAGE_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as refused:
        ab_request.full_clean()
    assert "message" in refused.value.message_dict
    ab_request.message = "x" * MESSAGE_MAX_LENGTH
    ab_request.full_clean()


# --- item 10: accepting shows the recipient's own confidential details --------------------------

NOTICE = (
    "This request is about your own asset {asset}: if you accept, {requester} can read its "
    "confidential details."
)


@pytest.fixture
def bob_asset(bob):
    return AssetFactory(
        organization=bob.organization,
        slug="bx-7",
        name="BX-7",
        confidential_details="Phase 1 interim data, not public.",
    )


def test_the_recipient_is_told_that_accepting_reveals_its_own_asset(alice, bob, bob_asset):
    meeting_request = MeetingRequestFactory(
        event=alice.participation.event,
        requester=alice.participation,
        recipient=bob.participation,
        asset=bob_asset,
    )
    notice = NOTICE.format(asset="BX-7", requester="Alice Org")
    inbox = bob.client.get(reverse("events:inbox", args=[EVENT])).content.decode()
    assert notice in inbox
    page = bob.client.get(reverse("events:request", args=[EVENT, meeting_request.pk]))
    assert notice in page.content.decode()
    # The requester is not told: nothing of its own is revealed.
    page = alice.client.get(reverse("events:request", args=[EVENT, meeting_request.pk]))
    assert "if you accept" not in page.content.decode()


def test_no_notice_when_the_asset_is_the_requesters(alice, bob, alice_asset):
    MeetingRequestFactory(
        event=alice.participation.event,
        requester=alice.participation,
        recipient=bob.participation,
        asset=alice_asset,
    )
    inbox = bob.client.get(reverse("events:inbox", args=[EVENT])).content.decode()
    assert "About KB-101 (Alice Org)" in inbox
    assert "if you accept" not in inbox


def test_a_nul_in_a_request_message_is_a_form_error(alice, bob):
    url = reverse("events:request_create", args=[EVENT, bob.organization.slug])
    response = alice.client.post(url, {"message": "Shall we\x00 meet?"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not MeetingRequest.objects.exists()
