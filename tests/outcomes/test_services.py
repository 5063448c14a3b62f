"""Recording outcomes: who may, when, and the history kept."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kbio.outcomes.models import Outcome, OutcomeStage
from kbio.outcomes.services import outcome_record

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
LATER = datetime(2025, 3, 1, 12, 0, tzinfo=TOKYO)


def record(held, by, side, stage=OutcomeStage.FOLLOW_UP, on=date(2025, 1, 20), now=LATER):
    return outcome_record(
        meeting_request=held.request,
        stage=stage,
        on=on,
        note=" Call next week. ",
        by=by,
        side=side,
        now=now,
    )


def test_either_side_records_and_the_latest_is_current(held, alice, bob):
    first = record(held, alice.user, alice.organization)
    assert first.side == alice.organization and first.recorded_by == alice.user
    assert first.note == "Call next week."
    record(held, bob.user, bob.organization, OutcomeStage.NDA_CDA, date(2025, 2, 3))
    record(held, alice.user, alice.organization, OutcomeStage.VERIFICATION, date(2025, 2, 25))
    history = list(held.request.outcomes.history().values_list("stage", flat=True))
    assert history == ["follow_up", "nda_cda", "verification"]
    # Default ordering puts the current stage first.
    assert held.request.outcomes.first().stage == "verification"


def test_organizer_records_without_a_side(held, staff):
    outcome = record(held, staff.user, None)
    assert outcome.recorded_by_organizer


def test_only_the_pair_or_staff(held, alice, charlie):
    with pytest.raises(ValidationError, match="Only the two organizations"):
        record(held, charlie.user, charlie.organization)
    with pytest.raises(ValidationError, match="Only the two organizations"):
        record(held, alice.user, None)  # a participant cannot pose as the organizer
    assert not Outcome.objects.exists()


def test_not_before_the_meeting_has_taken_place(held, alice):
    before = datetime(2025, 1, 18, 13, 59, tzinfo=TOKYO)
    with pytest.raises(ValidationError, match="once the meeting has taken place"):
        record(held, alice.user, alice.organization, on=date(2025, 1, 18), now=before)
    held.meeting.is_published = False
    held.meeting.save()
    with pytest.raises(ValidationError, match="once the meeting has taken place"):
        record(held, alice.user, alice.organization)
    held.meeting.delete()
    held.request.refresh_from_db()
    with pytest.raises(ValidationError, match="once the meeting has taken place"):
        record(held, alice.user, alice.organization)
    assert not Outcome.objects.exists()


def test_the_date_lies_between_the_meeting_and_today(held, alice):
    with pytest.raises(ValidationError) as error:
        record(held, alice.user, alice.organization, on=date(2025, 1, 17))
    assert error.value.message_dict["on"] == [
        "The date cannot be before the meeting (18 Jan 2025)."
    ]
    with pytest.raises(ValidationError) as error:
        record(held, alice.user, alice.organization, on=LATER.date() + timedelta(days=1))
    assert error.value.message_dict["on"] == ["The date cannot be in the future."]
    # The meeting's own day is fine.
    record(held, alice.user, alice.organization, on=date(2025, 1, 18))


def test_unknown_stage_refused(held, alice):
    with pytest.raises(ValidationError):
        record(held, alice.user, alice.organization, stage="signed_in_blood")


def test_database_refuses_an_unknown_stage(held):
    with pytest.raises(IntegrityError):
        Outcome.objects.create(request=held.request, stage="rumour", on=date(2025, 1, 20))
