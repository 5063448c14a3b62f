from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kbio.scheduling import service as scheduling

from . import services
from .models import (
    Attendee,
    Event,
    Meeting,
    MeetingRequest,
    Participation,
    RequestMessage,
    RequestStatus,
    Session,
    Table,
    TimeSlot,
    runs_events,
)


class RunsEventsActions:
    """The admin actions that change an event ask for the run-events permission
    (`@admin.action(permissions=["run_events"])`): without it they are neither offered nor run."""

    def has_run_events_permission(self, request) -> bool:
        return runs_events(request.user)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "kind", "name_en", "name_ko", "name_ja"]
    show_change_link = True


class TableInline(admin.TabularInline):
    model = Table
    extra = 0
    fields = ["number", "label", "host"]
    autocomplete_fields = ["host"]


def _run_for_each(modeladmin, request, queryset, service, done_message):
    done = 0
    for event in queryset:
        try:
            service(event=event)
        except ValidationError as exc:
            modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.register(Event)
class EventAdmin(RunsEventsActions, admin.ModelAdmin):
    list_display = [
        "name",
        "venue",
        "status",
        "requests_open_from",
        "requests_open_until",
        "participant_count",
        "request_count",
        "accepted_count",
    ]
    list_filter = ["status"]
    search_fields = ["name", "slug", "venue", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["hosted_by"]
    inlines = [SessionInline, TableInline]
    actions = ["open_requests", "close_requests", "publish_schedule"]
    # The status moves only through the actions below (the services keep a scheduled event's
    # window from reopening) and the organizer's schedule page.
    readonly_fields = ["status"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "description", "hosted_by"]}),
        (_("Where and when"), {"fields": [("venue", "city"), "time_zone"]}),
        (
            _("Meetings"),
            {
                "fields": [
                    ("requests_open_from", "requests_open_until"),
                    ("meeting_minutes", "changeover_minutes"),
                    "max_open_requests",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _participants=Count("participations", distinct=True),
                _requests=Count("requests", distinct=True),
                _accepted=Count(
                    "requests",
                    filter=Q(requests__status=RequestStatus.ACCEPTED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("participants"), ordering="_participants")
    def participant_count(self, obj):
        return obj._participants

    @admin.display(description=_("requests"), ordering="_requests")
    def request_count(self, obj):
        return obj._requests

    @admin.display(description=_("accepted"), ordering="_accepted")
    def accepted_count(self, obj):
        return obj._accepted

    @admin.action(description=_("Open the request window now"), permissions=["run_events"])
    def open_requests(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            services.event_open_requests,
            lambda n: (
                ngettext(
                    "Requests are open for %(count)d event.",
                    "Requests are open for %(count)d events.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Close the request window now"), permissions=["run_events"])
    def close_requests(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            services.event_close_requests,
            lambda n: (
                ngettext(
                    "Requests are closed for %(count)d event.",
                    "Requests are closed for %(count)d events.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Publish the schedule and email the participants"),
        permissions=["run_events"],
    )
    def publish_schedule(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            scheduling.publish_schedule,
            lambda n: (
                ngettext(
                    "The schedule is published for %(count)d event.",
                    "The schedule is published for %(count)d events.",
                    n,
                )
                % {"count": n}
            ),
        )


class TimeSlotInline(admin.TabularInline):
    model = TimeSlot
    extra = 0
    fields = ["starts_at", "ends_at"]


@admin.register(Session)
class SessionAdmin(RunsEventsActions, admin.ModelAdmin):
    list_display = ["__str__", "event", "kind", "starts_at", "ends_at", "slot_count"]
    list_filter = ["event", "kind"]
    list_select_related = ["event"]
    search_fields = ["name_en", "name_ko", "name_ja", "event__name"]
    autocomplete_fields = ["event"]
    inlines = [TimeSlotInline]
    actions = ["fill_slots"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_slots=Count("slots"))

    @admin.display(description=_("slots"), ordering="_slots")
    def slot_count(self, obj):
        return obj._slots

    @admin.action(
        description=_("Fill with slots of the event's meeting length"), permissions=["run_events"]
    )
    def fill_slots(self, request, queryset):
        for session in queryset.select_related("event"):
            try:
                slots = services.session_fill_slots(session=session)
            except ValidationError as exc:
                self.message_user(request, f"{session}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(session)s: %(count)d slot.", "%(session)s: %(count)d slots.", len(slots)
                    )
                    % {"session": session, "count": len(slots)},
                    messages.SUCCESS,
                )


@admin.register(TimeSlot)
class TimeSlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "starts_at", "ends_at"]
    list_filter = ["session__event"]
    list_select_related = ["session__event"]
    search_fields = ["session__name_en", "session__event__name"]
    autocomplete_fields = ["session"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    autocomplete_fields = ["contact"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "event",
        "capacity",
        "fixed_table",
        "delegate_count",
        "sent_count",
        "received_count",
    ]
    list_filter = ["event", "organization__kind", "organization__country"]
    list_select_related = ["organization", "event", "fixed_table"]
    search_fields = ["organization__name", "organization__native_name", "organization__slug"]
    autocomplete_fields = ["event", "organization"]
    filter_horizontal = ["blocked_slots"]
    inlines = [AttendeeInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _delegates=Count("attendees", distinct=True),
                _sent=Count("sent_requests", distinct=True),
                _received=Count("received_requests", distinct=True),
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "blocked_slots":
            kwargs["queryset"] = TimeSlot.objects.select_related("session__event")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("delegates"), ordering="_delegates")
    def delegate_count(self, obj):
        return obj._delegates

    @admin.display(description=_("sent"), ordering="_sent")
    def sent_count(self, obj):
        return obj._sent

    @admin.display(description=_("received"), ordering="_received")
    def received_count(self, obj):
        return obj._received


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "host"]
    list_filter = ["event"]
    list_select_related = ["event", "host__organization"]
    search_fields = ["label", "event__name", "host__organization__name"]
    autocomplete_fields = ["event", "host"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ["slot", "table"]


class RequestMessageInline(admin.TabularInline):
    """The request's thread, as the two sides wrote it: read here, never edited."""

    model = RequestMessage
    extra = 0
    fields = ["created", "organization", "author", "body"]
    readonly_fields = fields
    can_delete = False
    ordering = ["created", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "author")


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "event",
        "status",
        "decline_reason",
        "asset",
        "message_count",
        "created",
        "answered_at",
    ]
    list_filter = ["event", "status", "decline_reason"]
    list_select_related = [
        "event",
        "requester__organization",
        "recipient__organization",
        "asset",
    ]
    search_fields = [
        "requester__organization__name",
        "recipient__organization__name",
        "requester__organization__native_name",
        "recipient__organization__native_name",
        "message",
    ]
    autocomplete_fields = ["event", "requester", "recipient", "asset", "sent_by", "answered_by"]
    readonly_fields = ["created", "answered_at", "cancelled_at"]
    date_hierarchy = "created"
    inlines = [MeetingInline, RequestMessageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_message_count()

    @admin.display(description=_("messages"), ordering="message_count")
    def message_count(self, obj):
        return obj.message_count


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "table", "is_published"]
    list_filter = ["request__event", "is_published"]
    list_select_related = [
        "request__requester__organization",
        "request__recipient__organization",
        "slot__session__event",
        "table",
    ]
    search_fields = [
        "request__requester__organization__name",
        "request__recipient__organization__name",
    ]
    autocomplete_fields = ["request", "slot", "table"]
