"""Recording outcomes: the one way a record is written (pages, admin and tests call this)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kbio.directory.models import Organization
from kbio.events.models import Meeting, MeetingRequest, RequestStatus, runs_events

from .models import Outcome, OutcomeStage


def held_meeting(meeting_request: MeetingRequest, now: datetime | None = None) -> Meeting | None:
    """The request's meeting if it has taken place: on the published schedule, slot begun."""
    if meeting_request.status != RequestStatus.ACCEPTED:
        return None
    try:
        meeting = meeting_request.meeting
    except Meeting.DoesNotExist:
        return None
    now = now or timezone.now()
    if not meeting.is_published or meeting.slot.starts_at > now:
        return None
    return meeting


def outcome_validate(
    *,
    meeting_request: MeetingRequest,
    stage: str,
    on: date,
    by: AbstractBaseUser,
    side: Organization | None,
    now: datetime | None = None,
) -> None:
    """Raise ValidationError unless this record may be added (the rules of `outcome_record`)."""
    now = now or timezone.now()
    if side is None and not runs_events(by):
        raise ValidationError(_("Only the two organizations or the organizer can record this."))
    if side is not None and side.pk not in (
        meeting_request.requester.organization_id,
        meeting_request.recipient.organization_id,
    ):
        raise ValidationError(_("Only the two organizations or the organizer can record this."))
    if stage not in OutcomeStage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    meeting = held_meeting(meeting_request, now)
    if meeting is None:
        raise ValidationError(
            _("Outcomes can be recorded once the meeting has taken place."), code="not_held"
        )
    tz = meeting_request.event.tzinfo
    today = timezone.localtime(now, tz).date()
    met_on = timezone.localtime(meeting.slot.starts_at, tz).date()
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if on < met_on:
        raise ValidationError(
            {
                "on": _("The date cannot be before the meeting (%(date)s).")
                % {"date": date_format(met_on)}
            }
        )


@transaction.atomic
def outcome_record(
    *,
    meeting_request: MeetingRequest,
    stage: str,
    on: date,
    note: str,
    by: AbstractBaseUser,
    side: Organization | None,
    now: datetime | None = None,
) -> Outcome:
    """Add a record to the meeting's history. `side` is the organization the recorder speaks
    for, or None when the organizer records it (only an organizer may)."""
    outcome_validate(meeting_request=meeting_request, stage=stage, on=on, by=by, side=side, now=now)
    return Outcome.objects.create(
        request=meeting_request,
        stage=stage,
        on=on,
        note=note.strip(),
        recorded_by=by,
        side=side,
    )
