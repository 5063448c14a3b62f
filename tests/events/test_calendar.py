"""The agenda as a calendar file: what a calendar app reads from it, and who may download it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kbio.events.agendas import published_meetings
from kbio.events.calendar import agenda_calendar
from kbio.events.models import RequestStatus, SessionKind, TimeSlot
from tests.events.factories import (
    MeetingFactory,
    MeetingRequestFactory,
    SessionFactory,
    TimeSlotFactory,
    tokyo,
)
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://partnering.example"


def ics_url(lang="en"):
    with translation.override(lang):
        return reverse("events:agenda_ics", args=[EVENT])


def download(client, lang="en") -> icalendar.Calendar:
    response = client.get(ics_url(lang))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def accepted_request(event, requester, recipient, **kwargs):
    return MeetingRequestFactory(
        event=event,
        requester=requester.participation,
        recipient=recipient.participation,
        status=RequestStatus.ACCEPTED,
        **kwargs,
    )


def test_one_vevent_per_published_meeting_at_the_right_time_and_table(
    alice, bob, charlie, event, ab_meeting
):
    table = ab_meeting.table
    table.label = "Room A"
    table.save()
    # Placed but not yet published: not in the file.
    MeetingFactory(
        request=accepted_request(event, alice, charlie),
        slot=TimeSlot.objects.of_event(event)[2],
        table=event.tables.get(number=1),
    )
    calendar = download(alice.client)
    (meeting,) = calendar.events
    assert str(meeting["SUMMARY"]) == "Meeting: Bob Org"
    assert meeting.start == ab_meeting.slot.starts_at
    assert meeting.end == ab_meeting.slot.ends_at
    assert meeting["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert meeting.start.strftime("%H:%M") == "14:30"
    assert meeting.start.astimezone(UTC).strftime("%H:%M") == "05:30"
    assert str(meeting["LOCATION"]) == "Table 2 (Room A), Shonan iPark, Fujisawa"
    assert str(meeting["UID"]) == f"meeting-{ab_meeting.pk}@spring-partnering.kbio-partnering"
    assert "DTSTAMP" in meeting
    link = f"https://partnering.example/events/spring-partnering/requests/{ab_meeting.request.pk}/"
    assert link in str(meeting["DESCRIPTION"])
    assert str(meeting["URL"]) == link
    # The zone's definition travels with the file, so any calendar app can place the times.
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert str(calendar["X-WR-CALNAME"]) == "Spring Partnering Day: agenda of Alice Org"
    assert str(calendar["PRODID"]) == "-//K-Bio Partnering//Agenda//EN"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"


def test_a_ten_oclock_meeting_in_tokyo_is_one_oclock_utc(alice, bob, event):
    morning = SessionFactory(
        event=event,
        kind=SessionKind.PARTNERING,
        starts_at=tokyo(2030, 1, 18, 10, 0),
        ends_at=tokyo(2030, 1, 18, 11, 0),
    )
    slot = TimeSlotFactory(session=morning)
    MeetingFactory(
        request=accepted_request(event, bob, alice),
        slot=slot,
        table=event.tables.get(number=1),
        is_published=True,
    )
    (meeting,) = download(bob.client).events
    assert meeting.start.strftime("%Y-%m-%d %H:%M") == "2030-01-18 10:00"
    assert meeting.start.astimezone(UTC) == datetime(2030, 1, 18, 1, 0, tzinfo=UTC)
    assert meeting.end - meeting.start == timedelta(minutes=25)
    assert str(meeting["SUMMARY"]) == "Meeting: Alice Org"
    assert str(meeting["LOCATION"]).startswith("Table 1, ")


def test_a_summer_meeting_in_a_daylight_saving_zone_keeps_its_offset(alice, bob, event):
    event.time_zone = "Europe/Berlin"
    event.save()
    berlin = ZoneInfo("Europe/Berlin")
    june = SessionFactory(
        event=event,
        starts_at=datetime(2031, 6, 3, 9, 0, tzinfo=berlin),
        ends_at=datetime(2031, 6, 3, 10, 0, tzinfo=berlin),
    )
    MeetingFactory(
        request=accepted_request(event, alice, bob),
        slot=TimeSlotFactory(session=june),
        table=event.tables.get(number=1),
        is_published=True,
    )
    calendar = download(alice.client)
    (meeting,) = calendar.events
    assert meeting["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert meeting.start.strftime("%H:%M") == "09:00"
    assert meeting.start.astimezone(UTC).strftime("%H:%M") == "07:00"
    (zone,) = calendar.walk("VTIMEZONE")
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # What a calendar app without its own zone database computes from the VTIMEZONE alone.
    assert zone.to_tz(lookup_tzid=False).utcoffset(datetime(2031, 6, 3, 9, 0)) == timedelta(hours=2)


def test_the_description_names_the_partner_its_delegates_and_the_asset(
    alice, bob, ab_meeting, alice_asset
):
    bob.organization.native_name = "ボブ製薬"
    bob.organization.save()
    bob.contact.native_name = "ボブ"
    bob.contact.save()
    request = ab_meeting.request
    request.asset = alice_asset
    request.save()
    description = str(download(alice.client).events[0]["DESCRIPTION"])
    assert description.splitlines()[:3] == [
        "Bob Org (ボブ製薬)",
        "Delegates: Bob (ボブ)",
        "About: KB-101 (Alice Org)",
    ]


def test_texts_follow_the_language_of_the_address(alice, ab_meeting):
    calendar = download(alice.client, lang="ko")
    (meeting,) = calendar.events
    assert str(meeting["SUMMARY"]) == "미팅: Bob Org"
    assert str(meeting["LOCATION"]).startswith("2번 테이블, ")
    assert str(calendar["X-WR-CALNAME"]) == "Spring Partnering Day: Alice Org 일정표"
    assert "/ko/events/spring-partnering/requests/" in str(meeting["URL"])
    meeting = download(alice.client, lang="ja").events[0]
    assert str(meeting["SUMMARY"]) == "面談：Bob Org"


def test_both_sides_get_the_meeting_under_the_same_uid(alice, bob, ab_meeting):
    (theirs,) = download(bob.client).events
    (ours,) = download(alice.client).events
    assert theirs["UID"] == ours["UID"]
    assert str(theirs["SUMMARY"]) == "Meeting: Alice Org"


def test_before_anything_is_published_the_file_is_valid_and_empty(alice, ab_meeting):
    ab_meeting.is_published = False
    ab_meeting.save()
    calendar = download(alice.client)
    assert calendar.events == []
    assert calendar.walk("VTIMEZONE") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_it_downloads_as_a_file_named_after_event_and_organization(alice, ab_meeting):
    response = alice.client.get(ics_url())
    assert response["Content-Disposition"] == (
        'attachment; filename="spring-partnering-alice-org.ics"'
    )
    assert "private" in response["Cache-Control"]


def test_rows_handed_in_without_a_published_meeting_are_left_out(alice, ab_meeting):
    rows = published_meetings(alice.participation)
    assert len(rows) == 1
    rows[0].meeting.is_published = False  # e.g. the organizer withdrew it meanwhile
    calendar = icalendar.Calendar.from_ical(agenda_calendar(alice.participation, rows))
    assert calendar.events == []


# --- access (anonymous, unregistered and organization-less logins: test_access.py) ---


def test_another_participant_downloads_only_its_own_meetings(charlie, ab_meeting):
    calendar = download(charlie.client)
    assert calendar.events == []
    assert "Alice Org" not in calendar.to_ical().decode()


def test_a_colleague_without_delegate_status_may_download_the_organizations_file(alice, ab_meeting):
    colleague = UserFactory(username="colleague")
    ContactFactory(organization=alice.organization, user=colleague)
    client = Client()
    client.force_login(colleague)
    assert len(download(client).events) == 1


def test_every_file_carries_its_event_zone_though_the_zone_is_worked_out_once(
    alice, bob, event, ab_meeting
):
    # A publish writes thousands of these files: the zone's definition is worked out once and
    # then shared, yet every file still has it, and an event in another zone gets its own.
    first, second = download(alice.client), download(bob.client)
    for calendar in (first, second):
        (zone,) = calendar.walk("VTIMEZONE")
        assert str(zone["TZID"]) == "Asia/Tokyo"
        assert calendar.events[0]["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert first.walk("VTIMEZONE")[0].to_ical() == second.walk("VTIMEZONE")[0].to_ical()
    event.time_zone = "Asia/Seoul"
    event.save(update_fields=["time_zone"])
    third = download(bob.client)
    assert [str(zone["TZID"]) for zone in third.walk("VTIMEZONE")] == ["Asia/Seoul"]
    assert third.events[0]["DTSTART"].params["TZID"] == "Asia/Seoul"
