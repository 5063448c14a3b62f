"""Participant pages of a partnering event: register, availability, request, inbox, outbox,
agenda. Every page needs a login; every request, participation or meeting is fetched scoped
to the user's organization (kbio.accounts.access), so another organization's objects are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbio.accounts.access import (
    delegate_of,
    editor_required,
    get_for_organization_or_404,
    organization_of,
    posts_need_editor,
)
from kbio.directory.models import Asset

from . import calendar, services
from .agendas import delegates_by_participation
from .filters import ParticipantFilter
from .fits import participant_fits, request_fits
from .forms import (
    INBOX_SORTS,
    PARTICIPANT_SORTS,
    AvailabilityForm,
    DeclineForm,
    MeetingRequestForm,
    RegistrationForm,
    RequestMessageForm,
    SortForm,
)
from .models import Event, MeetingRequest, Participation, RequestStatus, SessionKind
from .pairs import kept_requests


def _event_or_404(slug: str) -> Event:
    return get_object_or_404(Event.objects.visible(), slug=slug)


def _my_participation(request: HttpRequest, event: Event) -> Participation | None:
    organization = organization_of(request)
    if organization is None:
        return None
    return (
        Participation.objects.for_organization(organization)
        .select_related("organization")
        .filter(event=event)
        .first()
    )


def _registered_or_404(request: HttpRequest, event: Event) -> Participation:
    participation = _my_participation(request, event)
    if participation is None:
        raise Http404("Your organization is not registered for this event.")
    return participation


def _posted(request: HttpRequest):
    """Form data for a POST, even an empty one (which `request.POST or None` would drop)."""
    return request.POST if request.method == "POST" else None


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _pending_count(participation: Participation) -> int:
    return MeetingRequest.objects.incoming(participation).pending().count()


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = list(
        Event.objects.visible().annotate(
            first_start=Min("sessions__starts_at"), last_end=Max("sessions__ends_at")
        )
    )
    organization = organization_of(request)
    registered = set()
    if organization is not None:
        registered = set(
            Participation.objects.for_organization(organization).values_list("event_id", flat=True)
        )
    return render(
        request,
        "events/event_list.html",
        {"events": events, "registered": registered, "organization": organization},
    )


@login_required
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    mine = _my_participation(request, event)
    participants = list(
        event.participations.select_related("organization", "fixed_table").order_by(
            "organization__kind", "organization__name"
        )
    )
    sent_to, asked_by = _live_partners(mine)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "mine": mine,
            "sessions": event.sessions.all(),
            "hosts": event.hosted_by.all(),
            "participants": participants,
            "sent_to": sent_to,
            "asked_by": asked_by,
            "accepts_requests": event.accepts_requests(),
            "window_not_yet_open": event.window_not_yet_open(),
            "organization": organization_of(request),
        },
    )


def _live_partners(mine: Participation | None) -> tuple[set[int], set[int]]:
    """The participations `mine` has a live request to, and those that have one to it."""
    if mine is None:
        return set(), set()
    sent_to = set(
        MeetingRequest.objects.outgoing(mine).live().values_list("recipient_id", flat=True)
    )
    asked_by = set(
        MeetingRequest.objects.incoming(mine).live().values_list("requester_id", flat=True)
    )
    return sent_to, asked_by


@login_required
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's participants, searchable and filterable, each linked to its profile; for a
    member, with how well each fits the member's own organization (its matches page's score
    and first reason), sortable by that fit."""
    event = _event_or_404(slug)
    mine = _my_participation(request, event)
    organization = organization_of(request)
    filterset = ParticipantFilter(
        request.GET or None,
        queryset=event.participations.select_related("organization", "fixed_table").order_by(
            "organization__kind", "organization__name"
        ),
        event=event,
    )
    rows = list(filterset.qs)
    fits = participant_fits(organization.pk, rows) if organization is not None else {}
    for participation in rows:
        participation.fit = fits.get(participation.pk)
    sort_form = SortForm(request.GET, choices=PARTICIPANT_SORTS)
    if sort_form.value == "fit":
        rows.sort(key=lambda p: -p.fit.score if p.fit else 1)
    sent_to, asked_by = _live_partners(mine)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "mine": mine,
            "organization": organization,
            "filterset": filterset,
            "form": filterset.form,
            "participants": rows,
            "sorts": PARTICIPANT_SORTS if organization is not None else [],
            "sort": sort_form.value,
            "sent_to": sent_to,
            "asked_by": asked_by,
            "accepts_requests": event.accepts_requests(),
            "pending_count": _pending_count(mine) if mine else 0,
        },
    )


@login_required
@posts_need_editor
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    organization = organization_of(request)
    if organization is None:
        raise Http404("No organization for this login.")
    mine = _my_participation(request, event)
    if not event.takes_registrations:
        messages.error(request, _("Registration for this event is not open."))
        return redirect(event)
    initial = {"delegates": list(mine.delegates.all())} if mine else {}
    form = RegistrationForm(_posted(request), organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_register(
                event=event, organization=organization, delegates=form.cleaned_data["delegates"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your delegates for this event are saved."))
            return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form, "mine": mine})


@login_required
@posts_need_editor
def availability(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    mine = _registered_or_404(request, event)
    form = AvailabilityForm(
        _posted(request),
        event=event,
        initial={"blocked_slots": list(mine.blocked_slots.values_list("pk", flat=True))},
    )
    # The rule participation_block_slots applies: shown read-only once the organizer schedules.
    form.fields["blocked_slots"].disabled = not event.takes_answers
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_block_slots(
                participation=mine, slots=form.cleaned_data["blocked_slots"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("events:agenda", event.slug)
    return render(
        request,
        "events/availability.html",
        {"event": event, "mine": mine, "form": form, "pending_count": _pending_count(mine)},
    )


def _preselected_asset(request: HttpRequest, mine: Participation, recipient: Participation):
    slug = request.GET.get("asset")
    if not slug:
        return None
    asset = None
    if slug_re.fullmatch(slug):  # else no asset has it, and PostgreSQL refuses a NUL in a query
        assets = Asset.objects.filter(slug=slug)
        asset = (
            assets.filter(organization_id=recipient.organization_id).first()
            or assets.filter(organization_id=mine.organization_id).first()
        )
    if asset is None:
        messages.warning(request, _("That asset was not found; choose one below if you like."))
    return asset


@login_required
@editor_required
def request_create(request: HttpRequest, slug: str, org_slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    recipient = get_object_or_404(
        Participation.objects.select_related("organization"),
        event=event,
        organization__slug=org_slug,
    )
    mine = _my_participation(request, event)
    if mine is None:
        if organization_of(request) is None:
            raise Http404("No organization for this login.")
        messages.info(request, _("Register your organization for this event to request meetings."))
        return redirect(event)
    existing = MeetingRequest.objects.live().filter(requester=mine, recipient=recipient).first()
    reverse_request = (
        MeetingRequest.objects.live().filter(requester=recipient, recipient=mine).first()
    )
    form = MeetingRequestForm(
        _posted(request),
        requester=mine.organization,
        recipient=recipient.organization,
        initial={"asset": _preselected_asset(request, mine, recipient)}
        if request.method == "GET"
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request_create(
                requester=mine,
                recipient=recipient,
                message=form.cleaned_data["message"],
                asset=form.cleaned_data["asset"],
                sent_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your request to %(organization)s is sent.")
                % {"organization": recipient.organization.name},
            )
            return redirect("events:outbox", event.slug)
    return render(
        request,
        "events/request_form.html",
        {
            "event": event,
            "mine": mine,
            "recipient": recipient,
            "form": form,
            "is_self": recipient.pk == mine.pk,
            "existing": existing,
            "reverse_request": reverse_request,
            "accepts_requests": event.accepts_requests(),
            "pending_count": _pending_count(mine),
        },
    )


def _sorted_requests(requests: list[MeetingRequest], sort: str) -> list[MeetingRequest]:
    """Newest first; by fit, the best first (unknown fits last); by status, in the order a
    request goes through (pending, accepted, declined, cancelled), newest first within."""
    newest = sorted(requests, key=lambda r: (r.created, r.pk), reverse=True)
    if sort == "fit":
        return sorted(newest, key=lambda r: -r.fit.score if r.fit else 1)
    if sort == "status":
        order = {status: i for i, status in enumerate(RequestStatus.values)}
        return sorted(newest, key=lambda r: order.get(r.status, len(order)))
    return newest


@login_required
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    mine = _registered_or_404(request, event)
    requests = list(
        MeetingRequest.objects.incoming(mine).for_lists().with_mutual().with_message_count()
    )
    fits = request_fits(mine.organization_id, requests)
    for meeting_request in requests:
        meeting_request.fit = fits.get(meeting_request.pk)
    sort_form = SortForm(request.GET, choices=INBOX_SORTS)
    requests = _sorted_requests(requests, sort_form.value)
    pending = [r for r in requests if r.status == RequestStatus.PENDING]
    answered = [r for r in requests if r.status != RequestStatus.PENDING]
    return render(
        request,
        "events/inbox.html",
        {
            "event": event,
            "mine": mine,
            "pending": pending,
            "answered": answered,
            "pending_count": len(pending),
            "sorts": INBOX_SORTS,
            "sort": sort_form.value,
        },
    )


@login_required
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    mine = _registered_or_404(request, event)
    requests = list(
        MeetingRequest.objects.outgoing(mine).for_lists().with_mutual().with_message_count()
    )
    open_count = sum(1 for r in requests if r.status == RequestStatus.PENDING)
    return render(
        request,
        "events/outbox.html",
        {
            "event": event,
            "mine": mine,
            "requests": requests,
            "open_count": open_count,
            "pending_count": _pending_count(mine),
        },
    )


@login_required
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One request, its answer and its thread. Both sides read the thread; their members with
    edit rights write in it (a POST here), before and after the answer."""
    event = _event_or_404(slug)
    organization = organization_of(request)
    meeting_request = get_for_organization_or_404(
        MeetingRequest.objects.for_lists().with_mutual().filter(event=event),
        organization,
        pk=pk,
    )
    can_write = delegate_of(request).can_edit
    form = None
    if can_write:
        form = RequestMessageForm(_posted(request))
    elif request.method == "POST":
        raise Http404("This member's role does not allow it.")
    if request.method == "POST" and form.is_valid():
        try:
            message = services.request_message_create(
                meeting_request=meeting_request,
                author=request.user,
                organization=organization,
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(f"{request.path}#message-{message.pk}")
    incoming = meeting_request.recipient.organization_id == organization.pk
    mine = meeting_request.recipient if incoming else meeting_request.requester
    return render(
        request,
        "events/request_detail.html",
        {
            "event": event,
            "mine": mine,
            "r": meeting_request,
            "incoming": incoming,
            "other": meeting_request.requester if incoming else meeting_request.recipient,
            "show_confidential": meeting_request.confidential_visible_to(organization),
            "pending_count": _pending_count(mine),
            "thread": list(
                meeting_request.thread.select_related("organization", "author__contact")
            ),
            "form": form,
        },
    )


def _incoming_or_404(request: HttpRequest, event: Event, pk: int) -> MeetingRequest:
    organization = organization_of(request)
    return get_for_organization_or_404(
        MeetingRequest.objects.select_related("event").filter(
            event=event, recipient__organization=organization
        ),
        organization,
        pk=pk,
    )


@login_required
@require_POST
@posts_need_editor
def request_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event_or_404(slug)
    meeting_request = _incoming_or_404(request, event, pk)
    try:
        services.meeting_request_accept(meeting_request=meeting_request, by=request.user)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request,
            _("You accepted the meeting with %(organization)s. It is on your agenda.")
            % {"organization": meeting_request.requester.organization.name},
        )
    return redirect("events:inbox", event.slug)


@login_required
@editor_required
def request_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event_or_404(slug)
    meeting_request = _incoming_or_404(request, event, pk)
    meeting_request = (
        MeetingRequest.objects.for_lists().select_related("event").get(pk=meeting_request.pk)
    )
    form = DeclineForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request_decline(
                meeting_request=meeting_request,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _first_error(exc))
        else:
            messages.success(
                request,
                _("You declined the request from %(organization)s.")
                % {"organization": meeting_request.requester.organization.name},
            )
        return redirect("events:inbox", event.slug)
    return render(
        request,
        "events/decline.html",
        {
            "event": event,
            "mine": meeting_request.recipient,
            "r": meeting_request,
            "form": form,
            "pending_count": _pending_count(meeting_request.recipient),
        },
    )


@login_required
@require_POST
@posts_need_editor
def request_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event_or_404(slug)
    organization = organization_of(request)
    meeting_request = get_for_organization_or_404(
        MeetingRequest.objects.select_related("event", "recipient__organization").filter(
            event=event, requester__organization=organization
        ),
        organization,
        pk=pk,
    )
    try:
        services.meeting_request_cancel(meeting_request=meeting_request)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request,
            _("You cancelled your request to %(organization)s.")
            % {"organization": meeting_request.recipient.organization.name},
        )
    return redirect("events:outbox", event.slug)


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    mine = _registered_or_404(request, event)
    # Both asked each other and both accepted: one meeting covers the two requests.
    accepted = kept_requests(list(MeetingRequest.objects.involving(mine).accepted().for_lists()))
    blocked = set(mine.blocked_slots.values_list("pk", flat=True))
    # Whom to look for at the table: the partner's delegates, printed on the agenda.
    delegates = delegates_by_participation(r.other_side(mine).pk for r in accepted)
    by_slot: dict[int, list[MeetingRequest]] = {}
    unscheduled = []
    for meeting_request in accepted:
        meeting = meeting_request.published_meeting
        side = meeting_request.other_side(mine)
        meeting_request.partner = side.organization
        meeting_request.partner_delegates = delegates.get(side.pk, [])
        if meeting is None:
            unscheduled.append(meeting_request)
        else:
            by_slot.setdefault(meeting.slot_id, []).append(meeting_request)
    programme = []
    for session in event.sessions.prefetch_related("slots"):
        rows = []
        if session.kind == SessionKind.PARTNERING:
            rows = [
                {
                    "slot": slot,
                    "meetings": by_slot.get(slot.pk, []),
                    "blocked": slot.pk in blocked,
                }
                for slot in session.slots.all()
            ]
        programme.append({"session": session, "rows": rows})
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "mine": mine,
            "programme": programme,
            "unscheduled": unscheduled,
            "accepted_count": len(accepted),
            "scheduled_count": len(accepted) - len(unscheduled),
            "fixed_table": mine.fixed_table_or_none,
            "pending_count": _pending_count(mine),
        },
    )


@login_required
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The agenda as a calendar file to import; empty (but valid) until meetings are published."""
    event = _event_or_404(slug)
    mine = _registered_or_404(request, event)
    mine.event = event
    response = HttpResponse(calendar.agenda_calendar(mine), content_type=calendar.CONTENT_TYPE)
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=calendar.calendar_filename(mine)
    )
    # The meetings of one organization: never kept by a shared cache.
    patch_cache_control(response, private=True)
    return response


@login_required
def current(request: HttpRequest, page: str) -> HttpResponse:
    """/inbox/, /outbox/, /agenda/: the page for the organization's current event.

    Current means the next event still to end (or the latest one if all are over)."""
    organization = organization_of(request)
    if organization is None:
        return redirect("events:list")
    participations = list(
        Participation.objects.for_organization(organization)
        .filter(event__in=Event.objects.visible())
        .annotate(first_start=Min("event__sessions__starts_at"))
        .annotate(last_end=Max("event__sessions__ends_at"))
        .select_related("event")
    )
    if not participations:
        messages.info(request, _("Your organization is not registered for any event yet."))
        return redirect("events:list")
    now = timezone.now()
    upcoming = [p for p in participations if p.last_end is None or p.last_end >= now]
    if upcoming:
        chosen = min(upcoming, key=lambda p: (p.first_start is None, p.first_start or now))
    else:
        chosen = max(participations, key=lambda p: p.last_end)
    return redirect(reverse(f"events:{page}", args=[chosen.event.slug]))
