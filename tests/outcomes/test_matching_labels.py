"""What participants did with suggestions is kept as labelled pairs for evaluation."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from kbio.matching.models import SuggestionFeedback
from kbio.outcomes.models import Outcome
from tests.events.factories import MeetingRequestFactory

pytestmark = pytest.mark.django_db


def labels():
    out = io.StringIO()
    call_command("matching_labels", stdout=out)
    rows = csv.DictReader(io.StringIO(out.getvalue()))
    return {(row["organization"], row["partner"]): row for row in rows}


def test_accepts_declines_outcomes_and_not_interested_marks_are_labelled(held, alice, bob, charlie):
    accepted = held.request
    MeetingRequestFactory(
        event=alice.participation.event,
        requester=alice.participation,
        recipient=charlie.participation,
        status="declined",
        decline_reason="outside_focus",
    )
    SuggestionFeedback.objects.create(
        organization=charlie.organization, partner=bob.organization, reason="not_now"
    )
    found = labels()
    a, b, c = (p.organization.slug for p in (alice, bob, charlie))
    assert found[(b, a)]["label"] == "positive" and found[(b, a)]["evidence"] == "accepted"
    assert found[(c, a)]["label"] == "negative"
    assert found[(c, a)]["evidence"] == "declined:outside_focus"
    assert found[(c, b)]["evidence"] == "not_interested:not_now"
    # An outcome after the meeting is the stronger signal, for both sides.
    Outcome.objects.create(request=accepted, stage="licensing", on=date(2026, 3, 1))
    found = labels()
    assert found[(a, b)]["evidence"] == found[(b, a)]["evidence"] == "outcome:licensing"
    assert found[(a, b)]["on"] == "2026-03-01"
    assert set(found[(a, b)]) >= {"score", "role"}
