"""Partnering events: programme, slots, tables, participants, meeting requests and meetings.

The shape the scheduler works on: an Event has Sessions (partnering, programme or break) in
time order; partnering sessions are cut into TimeSlots of the event's meeting length. Each
Participation is one organization at one event, with its delegates, the slots it blocked and,
for hosts, a fixed Table. Accepted MeetingRequests are what the scheduler places; a Meeting is
one request placed in a (slot, table).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kbio.core.validators import validate_date_in_range, validate_single_line, validate_text
from kbio.directory.models import Asset, Contact, Organization, TranslatedName
from kbio.scheduling.report import RunReport

from .request_states import (  # noqa: F401  (the request's states live there; re-exported)
    LIVE_STATUSES,
    DeclineReason,
    RequestStatus,
    decline_reason_error,
    transition_error,
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name such as Asia/Tokyo."),
            code="invalid",
            params={"value": value},
        )


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for requests")
    CLOSED = "closed", _("Requests closed")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Schedule published")


# While an event is in one of these states, participants may still answer and cancel requests;
# once the organizer has scheduled it, changes go through the organizer.
ANSWERABLE_STATUSES = (EventStatus.OPEN, EventStatus.CLOSED)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class EventQuerySet(models.QuerySet):
    def visible(self):
        """Events participants can see: everything the organizer has taken out of draft."""
        return self.exclude(status=EventStatus.DRAFT)

    def accepting_requests(self, at: datetime | None = None):
        """The same rule as Event.accepts_requests, as a filter."""
        at = at or timezone.now()
        return self.filter(
            Q(requests_open_from__isnull=True) | Q(requests_open_from__lte=at),
            Q(requests_open_until__isnull=True) | Q(requests_open_until__gt=at),
            status=EventStatus.OPEN,
        )


RUN_EVENTS_PERMISSION = "events.run_events"


def runs_events(user) -> bool:
    """Whether this login may run events: the organizer pages and the admin actions that change
    an event. An organizer is a staff login holding the permission (the "Organizers" group gives
    it; a superuser has every permission); the staff flag alone only opens the admin site.
    Participants are not staff: asking them costs no query."""
    return user.is_active and user.is_staff and user.has_perm(RUN_EVENTS_PERMISSION)


class Event(models.Model):
    Status = EventStatus

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    venue = models.CharField(_("venue"), max_length=200, validators=[validate_single_line])
    city = models.CharField(
        _("city"), max_length=100, blank=True, validators=[validate_single_line]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Tokyo",
        validators=[validate_time_zone],
        help_text=_("Every time of the event is shown in this zone, e.g. Asia/Tokyo."),
    )
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    hosted_by = models.ManyToManyField(
        Organization,
        verbose_name=_("hosted by"),
        blank=True,
        related_name="hosted_events",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    requests_open_from = models.DateTimeField(
        _("requests open from"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_("Empty: as soon as the event is open for requests."),
    )
    requests_open_until = models.DateTimeField(
        _("requests open until"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_("Empty: until the organizer closes requests."),
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=25,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    changeover_minutes = models.PositiveSmallIntegerField(
        _("changeover (minutes)"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_("Time between two meeting slots for people to change tables."),
    )
    max_open_requests = models.PositiveSmallIntegerField(
        _("open requests per participant"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many unanswered requests a participant may have sent at once. Empty: no limit."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [
            (
                "run_events",
                _("Can run events: requests window, imports, schedule, publish, outcomes"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(requests_open_from__isnull=True)
                | Q(requests_open_until__isnull=True)
                | Q(requests_open_until__gt=models.F("requests_open_from")),
                name="event_request_window_ordered",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="event_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(max_open_requests__isnull=True) | Q(max_open_requests__gte=1),
                name="event_max_open_requests_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if (
            self.requests_open_from
            and self.requests_open_until
            and self.requests_open_until <= self.requests_open_from
        ):
            raise ValidationError(
                {"requests_open_until": _("Requests must close after they open.")}
            )

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def accepts_requests(self, at: datetime | None = None) -> bool:
        """New meeting requests are taken only while the organizer's window is open."""
        at = at or timezone.now()
        return (
            self.status == EventStatus.OPEN
            and (self.requests_open_from is None or self.requests_open_from <= at)
            and (self.requests_open_until is None or at < self.requests_open_until)
        )

    def window_not_yet_open(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.status == EventStatus.OPEN
            and self.requests_open_from is not None
            and at < self.requests_open_from
        )

    @property
    def takes_answers(self) -> bool:
        """Participants may accept, decline and cancel until the organizer schedules."""
        return self.status in ANSWERABLE_STATUSES

    @property
    def takes_registrations(self) -> bool:
        return self.status == EventStatus.OPEN


class SessionKind(models.TextChoices):
    PARTNERING = "partnering", _("1:1 partnering")
    PROGRAMME = "programme", _("Programme")
    BREAK = "break", _("Break")


class SessionManager(models.Manager):
    def get_by_natural_key(self, event_slug, starts_at):
        return self.get(event__slug=event_slug, starts_at=starts_at)


class Session(TranslatedName):
    """A block of the programme: pitches or a seminar, a break, or 1:1 partnering in slots."""

    Kind = SessionKind

    # The Korean and Japanese names may stay empty; the English name is shown instead.
    name_ko = models.CharField(_("name (Korean)"), max_length=120, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120, blank=True)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date_in_range])

    objects = SessionManager()

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="session_start_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
        ]

    def natural_key(self):
        return (*self.event.natural_key(), self.starts_at)

    natural_key.dependencies = ["events.event"]

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    @property
    def is_partnering(self) -> bool:
        return self.kind == SessionKind.PARTNERING


class TimeSlotQuerySet(models.QuerySet):
    def of_event(self, event: Event):
        return self.filter(session__event=event)


class TimeSlotManager(models.Manager.from_queryset(TimeSlotQuerySet)):
    def get_by_natural_key(self, event_slug, starts_at):
        return self.get(session__event__slug=event_slug, starts_at=starts_at)


class TimeSlot(models.Model):
    """One meeting slot inside a partnering session."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="slots",
        limit_choices_to={"kind": SessionKind.PARTNERING},
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date_in_range])

    objects = TimeSlotManager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="timeslot_start_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="timeslot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        tz = self.session.event.tzinfo
        start = timezone.localtime(self.starts_at, tz)
        end = timezone.localtime(self.ends_at, tz)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def natural_key(self):
        return (self.session.event.slug, self.starts_at)

    natural_key.dependencies = ["events.session"]

    def clean(self):
        if not (self.starts_at and self.ends_at):
            return
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A slot must end after it starts.")})
        if self.session_id is None:
            return
        session = self.session
        if session.kind != SessionKind.PARTNERING:
            raise ValidationError({"session": _("Meeting slots belong in a partnering session.")})
        if self.starts_at < session.starts_at or self.ends_at > session.ends_at:
            raise ValidationError(_("A slot must lie within its session's start and end."))
        overlapping = (
            TimeSlot.objects.of_event(session.event_id)
            .filter(starts_at__lt=self.ends_at, ends_at__gt=self.starts_at)
            .exclude(pk=self.pk)
        )
        if overlapping.exists():
            raise ValidationError(_("This slot overlaps another slot of the event."))

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))


class ParticipationQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(organization=organization)


class ParticipationManager(models.Manager.from_queryset(ParticipationQuerySet)):
    def get_by_natural_key(self, event_slug, organization_slug):
        return self.get(event__slug=event_slug, organization__slug=organization_slug)


class Participation(models.Model):
    """One organization taking part in one event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    delegates = models.ManyToManyField(
        Contact,
        verbose_name=_("delegates"),
        through="Attendee",
        blank=True,
        related_name="participations",
    )
    capacity = models.PositiveSmallIntegerField(
        _("meetings at once"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many meetings this participant can hold in the same slot: the number of its "
            "delegates present. Registration sets it; a host at a fixed table holds one."
        ),
    )
    blocked_slots = models.ManyToManyField(
        TimeSlot,
        verbose_name=_("blocked slots"),
        blank=True,
        related_name="blocked_by",
        help_text=_("Slots this participant cannot attend."),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = ParticipationManager()

    class Meta:
        ordering = ["event", "organization__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="participation_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="participation_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} @ {self.event.name}"

    def natural_key(self):
        return (self.event.slug, self.organization.slug)

    natural_key.dependencies = ["events.event", "directory.organization"]

    @property
    def fixed_table_or_none(self) -> Table | None:
        try:
            return self.fixed_table
        except Table.DoesNotExist:
            return None


class Attendee(models.Model):
    """A delegate (contact) of the participating organization who attends the event."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="attendees",
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("delegate at the event")
        verbose_name_plural = _("delegates at the event")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "contact"], name="attendee_once_per_participation"
            ),
        ]

    def __str__(self) -> str:
        return str(self.contact)

    def clean(self):
        if (
            self.participation_id
            and self.contact_id
            and self.contact.organization_id != self.participation.organization_id
        ):
            raise ValidationError(
                {"contact": _("A delegate must belong to the participating organization.")}
            )


class TableManager(models.Manager):
    def get_by_natural_key(self, event_slug, number):
        return self.get(event__slug=event_slug, number=number)


class Table(models.Model):
    """A meeting table or room; a host (typically pharma) can keep one for the whole event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tables"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("E.g. a room name; optional."),
    )
    host = models.OneToOneField(
        Participation,
        verbose_name=_("fixed host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fixed_table",
        help_text=_("A participant who holds all its meetings at this table."),
    )

    objects = TableManager()

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="table_number_unique"),
        ]

    def __str__(self) -> str:
        if self.label:
            return _("Table %(number)s (%(label)s)") % {"number": self.number, "label": self.label}
        return _("Table %(number)s") % {"number": self.number}

    def natural_key(self):
        return (self.event.slug, self.number)

    natural_key.dependencies = ["events.event", "events.participation"]

    def clean(self):
        if self.host_id and self.event_id and self.host.event_id != self.event_id:
            raise ValidationError({"host": _("The host must take part in this event.")})


# The longest message of a request or of its thread: a few paragraphs, not a document.
MESSAGE_MAX_LENGTH = 2000
DECLINE_NOTE_MAX_LENGTH = 1000


class MeetingRequestQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def pending(self):
        return self.filter(status=RequestStatus.PENDING)

    def accepted(self):
        return self.filter(status=RequestStatus.ACCEPTED)

    def published(self):
        """Accepted requests whose meeting (time and table) participants may see."""
        return self.accepted().filter(meeting__is_published=True)

    def for_organization(self, organization: Organization):
        """Requests the organization sent or received; nobody else's."""
        return self.filter(
            Q(requester__organization=organization) | Q(recipient__organization=organization)
        )

    def incoming(self, participation: Participation):
        return self.filter(recipient=participation)

    def outgoing(self, participation: Participation):
        return self.filter(requester=participation)

    def involving(self, participation: Participation):
        return self.filter(Q(requester=participation) | Q(recipient=participation))

    def with_mutual(self):
        """Marks requests whose recipient has also asked the requester (a live request back)."""
        return self.annotate(
            is_mutual=Exists(
                MeetingRequest.objects.live().filter(
                    requester=OuterRef("recipient"), recipient=OuterRef("requester")
                )
            )
        )

    def with_message_count(self):
        """Counts the messages of each request's thread (in the same query)."""
        counts = (
            RequestMessage.objects.filter(request=OuterRef("pk"))
            .order_by()
            .values("request")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(message_count=Coalesce(Subquery(counts), 0))

    def for_lists(self):
        """Everything inbox, outbox and agenda show, joined in the same query."""
        return self.select_related(
            "event",
            "requester__organization",
            "recipient__organization",
            "asset__organization",
            "asset__modality",
            "meeting__slot",
            "meeting__table",
        )

    def assets_unlocked_for(self, organization: Organization) -> set[int]:
        """Ids of other organizations' assets whose confidential details `organization` may
        read: those of an accepted meeting request between the two (profile pages use this)."""
        return set(
            self.accepted()
            .for_organization(organization)
            .filter(asset__isnull=False)
            .exclude(asset__organization=organization)
            .values_list("asset_id", flat=True)
        )


class MeetingRequest(models.Model):
    """One participant asks another for a 1:1 meeting, optionally about an asset."""

    Status = RequestStatus
    DeclineReason = DeclineReason

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="requests"
    )
    requester = models.ForeignKey(
        Participation,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="sent_requests",
    )
    recipient = models.ForeignKey(
        Participation,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="received_requests",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The validator makes the length a model rule, checked by the import as by the form.
    message = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH), validate_text],
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("about asset"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_requests",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(
        _("note"),
        max_length=DECLINE_NOTE_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(DECLINE_NOTE_MAX_LENGTH), validate_text],
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="meetingrequest_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["event", "requester", "recipient"],
                condition=Q(status__in=LIVE_STATUSES),
                name="meetingrequest_one_live_per_pair",
                violation_error_message=_("You already have a request to this participant."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="meetingrequest_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=RequestStatus.DECLINED, decline_reason__in=DeclineReason.values)
                    | (~Q(status=RequestStatus.DECLINED) & Q(decline_reason=""))
                ),
                name="meetingrequest_decline_reason_iff_declined",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["requester", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.requester.organization.name} → {self.recipient.organization.name}"

    def get_absolute_url(self) -> str:
        return reverse("events:request", args=[self.event.slug, self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_stored()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored()

    def _remember_stored(self) -> None:
        # The status and sides as read, so that a form saving this row checks the change.
        self._stored = {name: self.__dict__.get(name) for name in self.GUARDED_FIELDS}

    GUARDED_FIELDS = ("status", "requester_id", "recipient_id")

    def clean(self):
        errors = {}
        stored = getattr(self, "_stored", None)
        if self.pk is not None and stored is not None:
            placed = getattr(self, "has_meeting", None)
            moved = any(
                stored[name] is not None and stored[name] != getattr(self, name)
                for name in self.GUARDED_FIELDS
            )
            if moved and placed is None:
                placed = Meeting.objects.filter(request_id=self.pk).exists()
            if stored["status"] is not None:
                problem = transition_error(stored["status"], self.status, placed=bool(placed))
                if problem:
                    errors["status"] = problem
            if placed and any(
                stored[name] is not None and stored[name] != getattr(self, name)
                for name in ("requester_id", "recipient_id")
            ):
                errors["requester"] = _(
                    "This request is placed on the schedule; its two sides cannot change."
                )
        problem = decline_reason_error(self.status, self.decline_reason)
        if problem:
            errors["decline_reason"] = problem
        if self.requester_id and self.recipient_id and self.event_id:
            if self.requester.event_id != self.event_id:
                errors["requester"] = _("The requester must take part in this event.")
            if self.recipient.event_id != self.event_id:
                errors["recipient"] = _("The recipient must take part in this event.")
            if self.asset_id and self.asset.organization_id not in (
                self.requester.organization_id,
                self.recipient.organization_id,
            ):
                errors["asset"] = _("The asset must belong to one of the two organizations.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == RequestStatus.ACCEPTED

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    # Which changes a participant may still make to a request. The services refuse anything
    # else (meeting_request_accept, _decline, _cancel); pages ask these so that they offer
    # only what will be taken, and explain the rest.
    @property
    def answerable(self) -> bool:
        """The recipient may still accept or decline it."""
        return self.is_pending and self.event.takes_answers

    @property
    def cancellable(self) -> bool:
        """The requester may still withdraw it."""
        return self.is_live and self.event.takes_answers and self.published_meeting is None

    def other_side(self, participation: Participation) -> Participation:
        return self.recipient if participation.pk == self.requester_id else self.requester

    def confidential_visible_to(self, organization: Organization) -> bool:
        """The asset's confidential details: always for its owner, for the other side once
        this meeting is accepted."""
        if self.asset is None:
            return False
        return self.asset.organization_id == organization.pk or self.is_accepted

    @property
    def accepting_reveals_recipients_details(self) -> bool:
        """The requester chose one of the recipient's own assets: accepting shows its
        confidential details to the requester (`confidential_visible_to`), which the recipient
        is told beside Accept."""
        return (
            self.asset is not None
            and bool(self.asset.confidential_details)
            and self.asset.organization_id == self.recipient.organization_id
        )

    @property
    def published_meeting(self) -> Meeting | None:
        try:
            meeting = self.meeting
        except Meeting.DoesNotExist:
            return None
        return meeting if meeting.is_published else None


class RequestMessage(models.Model):
    """One message in the thread of a meeting request, written by either side, before or after
    the answer. The author's organization is kept with it: it says which side wrote it even if
    the login later moves or goes."""

    request = models.ForeignKey(
        MeetingRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="thread",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH), validate_text],
    )
    created = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="requestmessage_body_not_empty"),
        ]
        indexes = [models.Index(fields=["request", "created"], name="requestmessage_thread")]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.body[:60]}"

    @property
    def author_name(self) -> str:
        """The author's name as a delegate of the organization, else the login's name."""
        if self.author is None:
            return ""
        contact = getattr(self.author, "contact", None)
        if contact is not None and contact.name:
            return contact.name
        return self.author.get_full_name() or self.author.get_username()


class MeetingQuerySet(models.QuerySet):
    def standing(self):
        """Meetings whose request is still accepted: the only ones a page or file lists. (The
        database refuses any other since migration 0007; rows written before it may remain.)"""
        return self.filter(request__status=RequestStatus.ACCEPTED)

    def of_event(self, event: Event):
        return self.standing().filter(request__event=event)


class Meeting(models.Model):
    """An accepted request placed in a slot at a table by the scheduler (or by hand)."""

    request = models.OneToOneField(
        MeetingRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="meeting",
        limit_choices_to={"status": RequestStatus.ACCEPTED},
    )
    # The request's two sides, copied here so that the database can check in one indexed
    # lookup that nobody is booked beyond capacity in a slot (see migration 0002's triggers,
    # which also refuse a copy that differs from the request).
    requester = models.ForeignKey(
        Participation,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    recipient = models.ForeignKey(
        Participation,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    slot = models.ForeignKey(
        TimeSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.ForeignKey(
        Table, verbose_name=_("table"), on_delete=models.PROTECT, related_name="meetings"
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Participants see the time and table only once it is published."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "table__number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                name="meeting_table_once_per_slot",
                violation_error_message=_("This table already has a meeting in this slot."),
            ),
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="meeting_two_sides"
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "requester"], name="meeting_slot_requester"),
            models.Index(fields=["slot", "recipient"], name="meeting_slot_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.slot} · {self.table}"

    def save(self, *args, **kwargs):
        if self.request_id is not None:
            self.requester_id = self.request.requester_id
            self.recipient_id = self.request.recipient_id
        super().save(*args, **kwargs)

    def clean(self):
        """The rules the database also enforces, as messages an organizer can act on."""
        if not (self.request_id and self.slot_id and self.table_id):
            return
        request = self.request
        event_id = request.event_id
        if self.slot.session.event_id != event_id or self.table.event_id != event_id:
            raise ValidationError(_("Slot, table and request must belong to the same event."))
        if request.status != RequestStatus.ACCEPTED:
            raise ValidationError({"request": _("Only an accepted request becomes a meeting.")})
        sides = (request.requester, request.recipient)
        host = self.table.host_id
        if host is not None and host not in (side.pk for side in sides):
            raise ValidationError(
                {
                    "table": _("%(table)s is reserved for %(host)s.")
                    % {"table": self.table, "host": self.table.host.organization.name}
                }
            )
        errors = []
        for side in sides:
            if side.blocked_slots.filter(pk=self.slot_id).exists():
                errors.append(
                    _("%(organization)s has blocked this slot.")
                    % {"organization": side.organization.name}
                )
            taken = (
                Meeting.objects.filter(slot_id=self.slot_id)
                .filter(Q(requester=side) | Q(recipient=side))
                .exclude(pk=self.pk)
                .count()
            )
            if taken >= side.capacity:
                errors.append(
                    _("%(organization)s already has a meeting in this slot.")
                    % {"organization": side.organization.name}
                )
        if errors:
            raise ValidationError({"slot": errors})


class ScheduleRun(models.Model):
    """One run of the scheduler for an event: its figures and what it could not place.

    A dry run is kept too (``saved`` false): the organizer sees what a run would give before
    replacing the unpublished schedule.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="schedule_runs"
    )
    created = models.DateTimeField(_("run at"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved = models.BooleanField(
        _("saved"), default=True, help_text=_("False for a dry run that changed nothing.")
    )
    requested = models.PositiveIntegerField(_("meetings to place"))
    placed = models.PositiveIntegerField(_("placed"))
    kept = models.PositiveIntegerField(
        _("kept in place"), default=0, help_text=_("Published meetings that kept their slot.")
    )
    upper_bound = models.PositiveIntegerField(_("most that could be placed"))
    breaks = models.PositiveIntegerField(_("breaks"))
    worst_breaks = models.PositiveIntegerField(_("most breaks of one participant"))
    seconds = models.FloatField(_("seconds"))
    # The typed report of kbio/scheduling/report.py (codes and ids, never sentences), with its
    # version; read it through `report`.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        get_latest_by = ["created", "pk"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(placed__lte=models.F("requested")),
                name="schedulerun_placed_le_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.placed}/{self.requested}"

    @property
    def unplaced_count(self) -> int:
        return self.requested - self.placed

    @property
    def report(self) -> RunReport:
        return RunReport.from_json(self.details)
