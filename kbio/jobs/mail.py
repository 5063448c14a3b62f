"""Every e-mail of the app leaves through here: written now, kept, sent by a job.

`queue_email` stores the message as an EmailDelivery and starts the send task
(kbio.jobs.tasks.deliver_email), which retries with exponential backoff while the mail server
cannot be reached. The request that caused the e-mail never waits for the mail server and
never fails because of it.
"""

from __future__ import annotations

import base64
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from . import in_process
from .models import DeliveryState, EmailDelivery

logger = logging.getLogger(__name__)


def _attachment(item) -> dict:
    filename, content, mimetype = item
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype}
    return {
        "filename": filename,
        "base64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def to_json(message: EmailMultiAlternatives) -> dict:
    """The message as JSON; `from_json` gives it back."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
        "attachments": [_attachment(item) for item in message.attachments],
    }


def from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for item in data["attachments"]:
        content = item["text"] if "text" in item else base64.b64decode(item["base64"])
        message.attach(item["filename"], content, item["mimetype"])
    return message


def queue_email(
    message: EmailMultiAlternatives,
    about: str,
    *,
    kind: str = "",
    event=None,
    participation=None,
    language: str = "",
) -> EmailDelivery:
    """Keep `message` and have it sent; returns its delivery record."""
    delivery = EmailDelivery.objects.create(
        kind=kind,
        about=about[:200],
        event=event,
        participation=participation,
        language=language,
        to=list(message.to) + list(message.cc) + list(message.bcc),
        message=to_json(message),
    )
    send_later(delivery.pk)
    return delivery


def send_later(delivery_id: int) -> None:
    """Start the send task once the delivery is saved (at once when jobs run in-process)."""
    from .tasks import deliver_email

    def send() -> None:
        # The broker down must not fail the page: the delivery stays queued and
        # retry_failed_emails sends it later.
        try:
            deliver_email.delay(delivery_id)
        except Exception:
            logger.exception(
                "E-mail %s kept to send later: the job queue is unreachable", delivery_id
            )

    if in_process():
        send()
    else:
        transaction.on_commit(send)


def requeue(deliveries) -> int:
    """Send these failed deliveries again; returns how many."""
    ids = list(deliveries.values_list("pk", flat=True))
    EmailDelivery.objects.filter(pk__in=ids, state=DeliveryState.FAILED).update(
        state=DeliveryState.QUEUED
    )
    for delivery_id in ids:
        send_later(delivery_id)
    return len(ids)
