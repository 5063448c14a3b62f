"""Writes of the partnering event: registration, availability, meeting requests, the window.

Each function is keyword-only and atomic, checks the rule it owns and raises ValidationError
with a message meant for the person who tried. Status changes of a request are conditional
UPDATEs (`... WHERE status = 'pending'`), so two people answering or cancelling the same request
at the same moment end in one state, and only the winner's email goes out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kbio.directory.models import Asset, Contact, Organization
from kbio.matching.services import match_index_invalidate

from . import notifications
from .models import (
    MESSAGE_MAX_LENGTH,
    Attendee,
    DeclineReason,
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    RequestMessage,
    RequestStatus,
    Session,
    SessionKind,
    TimeSlot,
)
from .request_states import decline_reason_error, sources

# --- the organizer's side ---------------------------------------------------------------------


@transaction.atomic
def event_open_requests(*, event: Event, now: datetime | None = None) -> Event:
    """Open the request window now (a close time already past is cleared)."""
    now = now or timezone.now()
    if event.status in (EventStatus.SCHEDULED, EventStatus.PUBLISHED):
        raise ValidationError(
            _("%(event)s is already scheduled; its request window cannot reopen.")
            % {"event": event.name},
            code="scheduled",
        )
    event.status = EventStatus.OPEN
    if event.requests_open_from is None or event.requests_open_from > now:
        event.requests_open_from = now
    if event.requests_open_until is not None and event.requests_open_until <= now:
        event.requests_open_until = None
    event.save(update_fields=["status", "requests_open_from", "requests_open_until", "updated"])
    return event


@transaction.atomic
def event_close_requests(*, event: Event, now: datetime | None = None) -> Event:
    """Close the request window now; answers to pending requests are still taken."""
    now = now or timezone.now()
    if event.status in (EventStatus.SCHEDULED, EventStatus.PUBLISHED):
        raise ValidationError(
            _("%(event)s is already scheduled.") % {"event": event.name}, code="scheduled"
        )
    event.status = EventStatus.CLOSED
    if event.requests_open_until is None or event.requests_open_until > now:
        event.requests_open_until = now
    if event.requests_open_from is not None and event.requests_open_from >= now:
        event.requests_open_from = None
    event.save(update_fields=["status", "requests_open_from", "requests_open_until", "updated"])
    return event


@transaction.atomic
def session_fill_slots(*, session: Session) -> list[TimeSlot]:
    """Cut a partnering session into slots of the event's meeting length plus changeover."""
    if session.kind != SessionKind.PARTNERING:
        raise ValidationError(_("Only partnering sessions have meeting slots."), code="kind")
    if Meeting.objects.filter(slot__session=session).exists():
        raise ValidationError(
            _("Meetings are already placed in this session; its slots stay as they are."),
            code="in_use",
        )
    event = session.event
    length = timedelta(minutes=event.meeting_minutes)
    step = length + timedelta(minutes=event.changeover_minutes)
    session.slots.all().delete()
    slots = []
    start = session.starts_at
    while start + length <= session.ends_at:
        slots.append(TimeSlot(session=session, starts_at=start, ends_at=start + length))
        start += step
    return TimeSlot.objects.bulk_create(slots)


@transaction.atomic
def event_duplicate(*, event: Event, slug: str, name: str, first_day_offset: timedelta) -> Event:
    """A draft copy of an event's programme, slots and tables, moved in time (no participants)."""
    copy = Event.objects.create(
        slug=slug,
        name=name,
        venue=event.venue,
        city=event.city,
        time_zone=event.time_zone,
        description=event.description,
        meeting_minutes=event.meeting_minutes,
        changeover_minutes=event.changeover_minutes,
        max_open_requests=event.max_open_requests,
    )
    copy.hosted_by.set(event.hosted_by.all())
    for session in event.sessions.prefetch_related("slots"):
        new_session = Session.objects.create(
            event=copy,
            kind=session.kind,
            name_en=session.name_en,
            name_ko=session.name_ko,
            name_ja=session.name_ja,
            starts_at=session.starts_at + first_day_offset,
            ends_at=session.ends_at + first_day_offset,
        )
        TimeSlot.objects.bulk_create(
            TimeSlot(
                session=new_session,
                starts_at=slot.starts_at + first_day_offset,
                ends_at=slot.ends_at + first_day_offset,
            )
            for slot in session.slots.all()
        )
    for table in event.tables.all():
        copy.tables.create(number=table.number, label=table.label)
    return copy


# --- participants -----------------------------------------------------------------------------


@transaction.atomic
def participation_register(
    *, event: Event, organization: Organization, delegates: Iterable[Contact]
) -> Participation:
    """Register (or update) an organization's delegates for an event."""
    delegates = list(delegates)
    if not event.takes_registrations:
        raise ValidationError(
            _("Registration for %(event)s is not open.") % {"event": event.name}, code="closed"
        )
    if not delegates:
        raise ValidationError(_("Choose at least one delegate."), code="no_delegates")
    if any(contact.organization_id != organization.pk for contact in delegates):
        raise ValidationError(
            _("Delegates must belong to your organization."), code="foreign_delegate"
        )
    participation, _created = Participation.objects.get_or_create(
        event=event, organization=organization
    )
    chosen = {contact.pk for contact in delegates}
    participation.attendees.exclude(contact_id__in=chosen).delete()
    present = set(participation.attendees.values_list("contact_id", flat=True))
    Attendee.objects.bulk_create(
        Attendee(participation=participation, contact_id=pk) for pk in chosen - present
    )
    # A host keeps one fixed table, so it holds one meeting per slot whatever its headcount.
    participation.capacity = 1 if participation.fixed_table_or_none else len(chosen)
    participation.save(update_fields=["capacity"])
    return participation


@transaction.atomic
def participation_block_slots(
    *, participation: Participation, slots: Iterable[TimeSlot]
) -> Participation:
    """Record the slots a participant cannot attend (replacing the earlier choice)."""
    slots = list(slots)
    if not participation.event.takes_answers:
        raise ValidationError(
            _("The schedule is being made; ask the organizer to change your availability."),
            code="scheduled",
        )
    event_slots = set(TimeSlot.objects.of_event(participation.event).values_list("pk", flat=True))
    if any(slot.pk not in event_slots for slot in slots):
        raise ValidationError(_("A chosen slot is not part of this event."), code="foreign_slot")
    participation.blocked_slots.set(slots)
    return participation


# --- meeting requests -------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(
    *,
    requester: Participation,
    recipient: Participation,
    message: str,
    sent_by: AbstractBaseUser | None,
    asset: Asset | None = None,
    now: datetime | None = None,
) -> MeetingRequest:
    """Send a meeting request: one live request per direction, within the window and the cap."""
    event = requester.event
    if recipient.event_id != event.pk:
        raise ValidationError(_("You can only ask participants of this event."), code="event")
    if recipient.pk == requester.pk:
        raise ValidationError(
            _("You cannot request a meeting with your own organization."), code="self"
        )
    if not event.accepts_requests(now):
        raise ValidationError(
            _("%(event)s is not taking meeting requests now.") % {"event": event.name},
            code="window",
        )
    if asset is not None and asset.organization_id not in (
        requester.organization_id,
        recipient.organization_id,
    ):
        raise ValidationError(
            _("The asset must belong to your organization or to theirs."), code="asset"
        )
    # Lock the requester's row: two requests sent at once cannot both slip under the cap.
    Participation.objects.select_for_update().get(pk=requester.pk)
    if event.max_open_requests is not None:
        open_requests = MeetingRequest.objects.outgoing(requester).pending().count()
        if open_requests >= event.max_open_requests:
            raise ValidationError(
                _(
                    "You already have %(count)s unanswered requests, the most this event "
                    "allows. Wait for answers or cancel one."
                )
                % {"count": open_requests},
                code="cap",
            )
    duplicate = ValidationError(
        _("You already have a request to %(organization)s.")
        % {"organization": recipient.organization.name},
        code="duplicate",
    )
    if MeetingRequest.objects.live().filter(requester=requester, recipient=recipient).exists():
        raise duplicate
    try:
        with transaction.atomic():
            meeting_request = MeetingRequest.objects.create(
                event=event,
                requester=requester,
                recipient=recipient,
                message=message.strip(),
                asset=asset,
                sent_by=sent_by,
            )
    except IntegrityError as exc:
        # The database's one-live-request-per-direction index caught a request sent in between.
        raise duplicate from exc
    transaction.on_commit(lambda: notifications.send_request_email(meeting_request, "requested"))
    return meeting_request


def _refuse_changed(meeting_request: MeetingRequest) -> ValidationError:
    meeting_request.refresh_from_db(fields=["status"])
    return ValidationError(
        _("This request is no longer pending: it is %(status)s.")
        % {"status": meeting_request.get_status_display().lower()},
        code="not_pending",
    )


def _require_answers_open(meeting_request: MeetingRequest) -> None:
    if not meeting_request.event.takes_answers:
        raise ValidationError(
            _("The schedule is being made; changes now go through the organizer."),
            code="scheduled",
        )


@transaction.atomic
def meeting_request_accept(
    *, meeting_request: MeetingRequest, by: AbstractBaseUser, now: datetime | None = None
) -> MeetingRequest:
    _require_answers_open(meeting_request)
    now = now or timezone.now()
    changed = MeetingRequest.objects.filter(
        pk=meeting_request.pk, status__in=sources(RequestStatus.ACCEPTED)
    ).update(status=RequestStatus.ACCEPTED, answered_by=by, answered_at=now, updated=now)
    if not changed:
        raise _refuse_changed(meeting_request)
    meeting_request.refresh_from_db()
    transaction.on_commit(lambda: notifications.send_request_email(meeting_request, "accepted"))
    return meeting_request


@transaction.atomic
def meeting_request_decline(
    *,
    meeting_request: MeetingRequest,
    by: AbstractBaseUser,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    _require_answers_open(meeting_request)
    if decline_reason_error(RequestStatus.DECLINED, reason):
        raise ValidationError(_("Choose a reason for declining."), code="reason")
    now = now or timezone.now()
    changed = MeetingRequest.objects.filter(
        pk=meeting_request.pk, status__in=sources(RequestStatus.DECLINED)
    ).update(
        status=RequestStatus.DECLINED,
        decline_reason=reason,
        decline_note=note.strip(),
        answered_by=by,
        answered_at=now,
        updated=now,
    )
    if not changed:
        raise _refuse_changed(meeting_request)
    meeting_request.refresh_from_db()
    if reason == DeclineReason.OUTSIDE_FOCUS:
        # Partners like this one now rank lower for the organization that declined.
        match_index_invalidate()
    transaction.on_commit(lambda: notifications.send_request_email(meeting_request, "declined"))
    return meeting_request


@transaction.atomic
def meeting_request_cancel(
    *, meeting_request: MeetingRequest, now: datetime | None = None
) -> MeetingRequest:
    """The requester withdraws a pending or accepted request; an unpublished meeting goes too.

    The request's row is locked first: a scheduler saving its meetings at this moment either
    finishes before (and the event is then scheduled, so the cancel is refused) or finds the
    request cancelled and leaves it out. The meeting goes before the status changes, as the
    database refuses a meeting on a request that is no longer accepted.
    """
    now = now or timezone.now()
    locked = (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(pk=meeting_request.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This request no longer exists."), code="gone")
    _require_answers_open(locked)
    if locked.status not in sources(RequestStatus.CANCELLED):
        raise ValidationError(
            _("This request is already %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="not_live",
        )
    if Meeting.objects.filter(request=locked, is_published=True).exists():
        raise ValidationError(
            _("This meeting is on the published schedule; ask the organizer to cancel it."),
            code="published",
        )
    Meeting.objects.filter(request=locked).delete()
    MeetingRequest.objects.filter(pk=locked.pk).update(
        status=RequestStatus.CANCELLED, cancelled_at=now, updated=now
    )
    meeting_request.refresh_from_db()
    return meeting_request


@transaction.atomic
def request_message_create(
    *,
    meeting_request: MeetingRequest,
    author: AbstractBaseUser,
    organization: Organization,
    body: str,
) -> RequestMessage:
    """Add a message to a request's thread, from either side, before or after the answer; the
    other side's readers are told by email once it is saved."""
    if organization.pk not in (
        meeting_request.requester.organization_id,
        meeting_request.recipient.organization_id,
    ):
        raise ValidationError(
            _("Only the two organizations of a request can write in its thread."), code="side"
        )
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message before sending it."), code="empty")
    if "\x00" in body:
        raise ValidationError(_("The message contains a null character."), code="null")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A message has at most %(limit)s characters.") % {"limit": MESSAGE_MAX_LENGTH},
            code="length",
        )
    message = RequestMessage.objects.create(
        request=meeting_request, author=author, organization=organization, body=body
    )
    transaction.on_commit(lambda: notifications.send_thread_message_email(message))
    return message
