"""The Celery tasks: organizers' jobs, e-mails, and the periodic housekeeping."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from .mail import from_json, requeue
from .models import DeliveryState, EmailDelivery

logger = logging.getLogger(__name__)

# Up to EMAIL_RETRIES retries, each after a random wait of up to EMAIL_RETRY_BACKOFF seconds
# times 1, 2, 4, ... (at most 30 minutes): with the defaults (10, 60 s), about 3 hours.
EMAIL_RETRIES = settings.EMAIL_RETRIES
# Failed e-mails are tried again by retry_failed_emails for this long after they were written;
# queued ones that no worker took (the queue was unreachable) after this long.
RETRY_FAILED_FOR = timedelta(days=3)
# The longest wait between two tries of one e-mail.
RETRY_WAIT_MAX_SECONDS = 1800
# A queued e-mail untouched for twice that long was lost by its queue: one merely waiting for
# its next try (or for a busy worker) is not, and sending it again would send it twice.
STUCK_AFTER = timedelta(seconds=2 * RETRY_WAIT_MAX_SECONDS)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=settings.EMAIL_RETRY_BACKOFF,
    retry_backoff_max=RETRY_WAIT_MAX_SECONDS,
    retry_jitter=True,
    max_retries=EMAIL_RETRIES,
)
def deliver_email(self, delivery_id: int) -> str:
    """Send one kept e-mail; while the mail server cannot be reached, retry with backoff."""
    delivery = EmailDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.state == DeliveryState.SENT:
        return "nothing to do"
    try:
        from_json(delivery.message).send()
    except Exception as exc:
        retrying = (
            isinstance(exc, self.autoretry_for)
            and not self.request.is_eager
            and self.request.retries < self.max_retries
        )
        EmailDelivery.objects.filter(pk=delivery_id).update(
            state=DeliveryState.QUEUED if retrying else DeliveryState.FAILED,
            attempts=delivery.attempts + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            updated=timezone.now(),
        )
        logger.warning(
            "Email not sent: %s (attempt %d%s)",
            delivery.about,
            delivery.attempts + 1,
            ", will retry" if retrying else "",
            exc_info=True,
        )
        if retrying:
            raise
        return "failed"
    EmailDelivery.objects.filter(pk=delivery_id).update(
        state=DeliveryState.SENT,
        attempts=delivery.attempts + 1,
        sent=timezone.now(),
        last_error="",
        updated=timezone.now(),
    )
    return "sent"


@shared_task
def retry_failed_emails() -> int:
    """E-mails that ran out of retries (or that no worker took) are sent again."""
    now = timezone.now()
    recent = EmailDelivery.objects.filter(created__gte=now - RETRY_FAILED_FOR)
    failed = recent.filter(state=DeliveryState.FAILED)
    stuck = recent.filter(state=DeliveryState.QUEUED, updated__lt=now - STUCK_AFTER)
    n = requeue(failed)
    for delivery_id in stuck.values_list("pk", flat=True):
        EmailDelivery.objects.filter(pk=delivery_id).update(updated=now)
        deliver_email.delay(delivery_id)
        n += 1
    return n


@shared_task
def housekeeping() -> None:
    """Expired sessions and login records older than 30 days (`make housekeeping`)."""
    call_command("clearsessions")
    call_command("axes_reset_logs", age=30)


@shared_task(acks_late=True)
def run_job(job_id: int) -> str:
    from .work import run

    return run(job_id)
