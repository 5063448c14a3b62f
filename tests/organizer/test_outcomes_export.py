"""Outcome records as CSV: each pair's history, oldest first, with who recorded it."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from kbio.events.models import RequestStatus
from kbio.outcomes.services import outcome_record
from tests.events.conftest import make_party
from tests.events.factories import MeetingFactory, MeetingRequestFactory

pytestmark = pytest.mark.django_db


def test_outcome_history_rows(staff, past_event):
    alice = make_party(past_event, "alice", kind="venture")
    bob = make_party(past_event, "bob", kind="pharma", country="JP")
    met = MeetingRequestFactory(
        event=past_event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=met,
        slot=past_event.sessions.get().slots.order_by("starts_at").first(),
        table=past_event.tables.get(number=1),
        is_published=True,
    )
    for stage, day, by, side in [
        ("verification", 20, bob.user, bob.organization),
        ("follow_up", 2, staff.user, None),  # recorded later, dated earlier
    ]:
        outcome_record(
            meeting_request=met,
            stage=stage,
            on=date(2025, 2, day),
            note="細胞製造の検証を湘南で" if side else "",
            by=by,
            side=side,
        )
    response = staff.get(reverse("organizer:outcomes_export", args=[past_event.slug]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["stage"], r["on"], r["recorded_for"], r["note"]) for r in rows] == [
        ("follow_up", "2025-02-02", "organizer", ""),
        ("verification", "2025-02-20", "bob-org", "細胞製造の検証を湘南で"),
    ]
    assert rows[0]["requester"] == "alice-org" and rows[0]["recipient_name"] == "Bob Org"
    assert rows[0]["met_on"] == "2025-01-18"
