"""Emails about meeting requests, written in each reader's own language.

A request goes to the recipient's delegates at the event; an answer to the requester's. Each
reader gets the language of their Contact (or their organization's first working language the
site speaks), so one notice can leave as up to three emails: Korean, Japanese and English.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kbio.directory.models import Contact

from .models import MeetingRequest, Participation

KINDS = ("requested", "accepted", "declined")


def readers(participation: Participation) -> list[Contact]:
    """The participant's delegates at the event, else every colleague who has a login."""
    contacts = Contact.objects.select_related("organization")
    attending = list(contacts.filter(participations=participation))
    if attending:
        return attending
    return list(contacts.filter(organization_id=participation.organization_id, user__isnull=False))


def send_request_email(meeting_request: MeetingRequest, kind: str) -> int:
    """Send the notice of one request event; returns how many emails left."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    meeting_request = (
        MeetingRequest.objects.for_lists().select_related("event").get(pk=meeting_request.pk)
    )
    to = meeting_request.recipient if kind == "requested" else meeting_request.requester
    by_language: dict[str, list[str]] = defaultdict(list)
    for contact in readers(to):
        by_language[contact.email_language].append(contact.email)
    sent = 0
    for language, addresses in sorted(by_language.items()):
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
        message.send()
        sent += 1
    return sent
