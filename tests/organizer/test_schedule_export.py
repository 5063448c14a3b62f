"""The schedule as CSV: slot times in the event's time zone, the table, both organizations."""

import csv
import io

import pytest
from django.urls import reverse

from kbio.events.models import RequestStatus
from tests.events.factories import MeetingFactory, MeetingRequestFactory

pytestmark = pytest.mark.django_db


def test_schedule_rows(staff, event, alice, bob, charlie, settings):
    settings.TIME_ZONE = "UTC"  # the export follows the event's zone, not the server's
    alice.organization.native_name = "앨리스 바이오"
    alice.organization.save()
    bob.organization.native_name = "ボブ製薬"
    bob.organization.save()
    slots = list(event.sessions.get().slots.order_by("starts_at"))
    first = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    second = MeetingRequestFactory(
        event=event,
        requester=charlie.participation,
        recipient=alice.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(request=second, slot=slots[1], table=event.tables.get(number=2))
    MeetingFactory(
        request=first, slot=slots[0], table=event.tables.get(number=1), is_published=True
    )
    event.tables.filter(number=2).update(label="Room B")

    response = staff.get(reverse("organizer:schedule_export", args=[event.slug]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows == [
        {
            "date": "2030-01-18",
            "start": "14:00",
            "end": "14:25",
            "time_zone": "Asia/Tokyo",
            "table": "1",
            "table_label": "",
            "requester": "alice-org",
            "requester_name": "Alice Org",
            "requester_native_name": "앨리스 바이오",
            "recipient": "bob-org",
            "recipient_name": "Bob Org",
            "recipient_native_name": "ボブ製薬",
            "asset": "",
            "published": "true",
        },
        {
            "date": "2030-01-18",
            "start": "14:30",
            "end": "14:55",
            "time_zone": "Asia/Tokyo",
            "table": "2",
            "table_label": "Room B",
            "requester": "charlie-org",
            "requester_name": "Charlie Org",
            "requester_native_name": "",
            "recipient": "alice-org",
            "recipient_name": "Alice Org",
            "recipient_native_name": "앨리스 바이오",
            "asset": "",
            "published": "false",
        },
    ]


def test_empty_schedule_has_the_header(staff, event):
    response = staff.get(reverse("organizer:schedule_export", args=[event.slug]))
    assert response.content.decode("utf-8-sig").splitlines() == [
        "date,start,end,time_zone,table,table_label,requester,requester_name,"
        "requester_native_name,recipient,recipient_name,recipient_native_name,asset,published"
    ]
