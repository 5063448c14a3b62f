"""Emails about meeting requests and the published schedule, in each reader's own language.

A request goes to the recipient's delegates at the event; an answer to the requester's; the
published schedule to every participant's. Each reader gets the language of their Contact (or
their organization's first working language the site speaks), so one notice can leave as up to
three emails: Korean, Japanese and English.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Collection
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kbio.directory.models import Contact

from .agendas import Agenda, event_agendas
from .calendar import agenda_calendar
from .models import Event, MeetingRequest, Participation, RequestMessage

KINDS = ("requested", "accepted", "declined")
SCHEDULE_EMAIL = "schedule"

logger = logging.getLogger(__name__)


def send_or_log(
    build: Callable[[], EmailMultiAlternatives],
    about: str,
    *,
    kind: str = "",
    event: Event | None = None,
    participation: Participation | None = None,
    language: str = "",
) -> int:
    """Write one email and queue it to be sent; 1 if it was queued, 0 if it could not be written.

    The single send path of the app's emails: the message is kept (kbio.jobs.mail) and a job
    sends it, retrying with backoff while the mail server cannot be reached, so a notice
    neither turns the change it announces into an error page nor is lost. A message that
    cannot be written (a text the mail library refuses) is logged and skipped, so it does not
    keep the next readers from their emails."""
    from kbio.jobs.mail import queue_email

    try:
        message = build()
        message.message()  # refuses a header the mail library cannot send, now
    except Exception:
        logger.exception("Email not sent: %s", about)
        return 0
    queue_email(
        message,
        about,
        kind=kind,
        event=event,
        participation=participation,
        language=language,
    )
    return 1


def readers(participation: Participation) -> list[Contact]:
    """The participant's delegates at the event, else every colleague who has a login."""
    contacts = Contact.objects.select_related("organization")
    attending = list(contacts.filter(participations=participation))
    if attending:
        return attending
    return list(contacts.filter(organization_id=participation.organization_id, user__isnull=False))


def _by_language(participation: Participation) -> dict[str, list[str]]:
    by_language: dict[str, list[str]] = defaultdict(list)
    for contact in readers(participation):
        by_language[contact.email_language].append(contact.email)
    return by_language


def send_request_email(meeting_request: MeetingRequest, kind: str) -> int:
    """Send the notice of one request event; returns how many emails left."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    meeting_request = (
        MeetingRequest.objects.for_lists().select_related("event").get(pk=meeting_request.pk)
    )
    to = meeting_request.recipient if kind == "requested" else meeting_request.requester
    by_language = _by_language(to)
    sent = 0
    for language, addresses in sorted(by_language.items()):

        def build(language=language, addresses=addresses) -> EmailMultiAlternatives:
            with translation.override(language):
                page = "inbox" if kind == "requested" else "outbox"
                context = {
                    "request": meeting_request,
                    "event": meeting_request.event,
                    "requester": meeting_request.requester.organization,
                    "recipient": meeting_request.recipient.organization,
                    "link": settings.SITE_URL.rstrip("/")
                    + reverse(f"events:{page}", args=[meeting_request.event.slug]),
                }
                subject = " ".join(
                    render_to_string(f"events/email/{kind}_subject.txt", context).split()
                )
                text = render_to_string(f"events/email/{kind}.txt", context)
                html = render_to_string(f"events/email/{kind}.html", context)
            message = EmailMultiAlternatives(subject, text, to=addresses)
            message.attach_alternative(html, "text/html")
            return message

        sent += send_or_log(
            build,
            f"request {meeting_request.pk} {kind} ({language})",
            kind=kind,
            event=meeting_request.event,
            language=language,
        )
    return sent


def send_thread_message_email(message: RequestMessage) -> int:
    """Tell the other side of the request about a new message in its thread, in each reader's
    language, with a link to the thread; returns how many emails left.

    The email names the request's asset at most: its confidential details never travel by
    email, whatever the request's status."""
    message = (
        RequestMessage.objects.select_related(
            "request__event",
            "request__requester__organization",
            "request__recipient__organization",
            "request__asset",
            "organization",
            "author__contact",
        )
    ).get(pk=message.pk)
    meeting_request = message.request
    to = (
        meeting_request.recipient
        if message.organization_id == meeting_request.requester.organization_id
        else meeting_request.requester
    )
    sent = 0
    for language, addresses in sorted(_by_language(to).items()):

        def build(language=language, addresses=addresses) -> EmailMultiAlternatives:
            with translation.override(language):
                path = reverse(
                    "events:request", args=[meeting_request.event.slug, meeting_request.pk]
                )
                context = {
                    "message": message,
                    "request": meeting_request,
                    "event": meeting_request.event,
                    "author": message.author_name,
                    "organization": message.organization,
                    "asset_name": meeting_request.asset.name if meeting_request.asset else "",
                    "link": f"{settings.SITE_URL.rstrip('/')}{path}#message-{message.pk}",
                }
                subject = " ".join(
                    render_to_string("events/email/thread_message_subject.txt", context).split()
                )
                text = render_to_string("events/email/thread_message.txt", context)
                html = render_to_string("events/email/thread_message.html", context)
            email = EmailMultiAlternatives(subject, text, to=addresses)
            email.attach_alternative(html, "text/html")
            return email

        sent += send_or_log(
            build,
            f"message {message.pk} ({language})",
            kind="message",
            event=meeting_request.event,
            language=language,
        )
    return sent


def send_schedule_published(
    event: Event,
    *,
    only: Collection[int] | None = None,
    progress: Callable[..., None] | None = None,
) -> int:
    """Tell every participant of `event` (or those of ids `only`) that the schedule is out;
    returns how many emails were queued.

    Each gets its meetings (time in the event's zone, table, partner), a link to its agenda and
    the calendar file; a participant with no meeting placed is told so, and to contact the
    organizer, rather than left wondering. Call it once the publish has committed, so a
    rolled-back publish tells nobody. Each email is recorded per participant
    (kbio.jobs.models.EmailDelivery), so those who did not get it can be sent it again.
    Queries: three for the whole schedule, then a few per participant."""
    participations = list(event.participations.select_related("organization"))
    if only is not None:
        wanted = set(only)
        participations = [p for p in participations if p.pk in wanted]
    agendas = event_agendas(event, participations)
    sent = 0
    total = len(participations)
    for done, participation in enumerate(participations):
        if progress is not None and done % 50 == 0:
            progress(
                _("Writing the emails: %(done)d of %(total)d participants")
                % {"done": done, "total": total},
                10 + (85 * done) // max(total, 1),
            )
        agenda = agendas[participation.pk]
        for language, addresses in sorted(_by_language(participation).items()):
            sent += send_or_log(
                partial(_schedule_message, event, participation, agenda, language, addresses),
                f"schedule of {participation.organization.slug} ({language})",
                kind=SCHEDULE_EMAIL,
                event=event,
                participation=participation,
                language=language,
            )
    return sent


def schedule_not_received(event: Event) -> list[int]:
    """Ids of the participants of `event` whose last schedule email (in some language) failed."""
    from kbio.jobs.models import DeliveryState, EmailDelivery

    latest: dict[tuple[int, str], str] = {}
    for participation_id, language, state in (
        EmailDelivery.objects.filter(event=event, kind=SCHEDULE_EMAIL)
        .order_by("created", "pk")
        .values_list("participation_id", "language", "state")
    ):
        latest[(participation_id, language)] = state
    return sorted(
        {pid for (pid, _language), state in latest.items() if state == DeliveryState.FAILED}
    )


def _schedule_message(
    event: Event, participation: Participation, agenda: Agenda, language: str, to: list[str]
) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "event": event,
            "organization": participation.organization,
            "meetings": agenda.meetings,
            "unplaced": agenda.unplaced,
            "link": settings.SITE_URL.rstrip("/") + reverse("events:agenda", args=[event.slug]),
        }
        subject = " ".join(
            render_to_string("events/email/schedule_published_subject.txt", context).split()
        )
        text = render_to_string("events/email/schedule_published.txt", context)
        html = render_to_string("events/email/schedule_published.html", context)
        ics = agenda_calendar(participation, agenda.meetings) if agenda.meetings else None
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    if ics is not None:
        message.attach(f"{event.slug}.ics", ics, "text/calendar")
    return message
