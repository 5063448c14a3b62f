"""What the background jobs did: one Job per long piece of work, one EmailDelivery per e-mail.

A Job is what an organizer started (a scheduler run, a publish, a resend, a large import): its
state, progress and result are what the pages show while it runs and once it is done. At most
one scheduler run and one publish (or resend) per event is queued or running at a time: the
database refuses a second (the partial unique constraints below), whoever asks.

An EmailDelivery is one e-mail as it was written when its notice happened, kept until it has
left: the send task retries it with backoff while the mail server is down, and a failed one is
tried again later (kbio.jobs.tasks.retry_failed_emails) or resent by the organizer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobKind(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduler run")
    PUBLISH = "publish", _("Publishing")
    RESEND = "resend", _("Resending the schedule")
    IMPORT = "import", _("Import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    # What else it is about, for an import: "organizations", "criteria", "requests".
    subject = models.CharField(max_length=32, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The language of the organizer who started it: progress and errors are written in it.
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.CharField(max_length=300, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # Figures of the outcome (kind-specific: placed/requested, published/emails, created/...).
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # An import's file while it waits for its worker; emptied once the job has run.
    payload = models.BinaryField(blank=True, default=b"", editable=False)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(kind="schedule", state__in=["queued", "running"]),
                name="jobs_one_active_schedule_per_event",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(kind__in=["publish", "resend"], state__in=["queued", "running"]),
                name="jobs_one_active_publish_per_event",
            ),
        ]
        indexes = [models.Index(fields=["event", "kind", "-created"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", pgettext_lazy("e-mail delivery", "Sent")
    FAILED = "failed", _("Failed")


class EmailDelivery(models.Model):
    """One e-mail: what it says, to whom, and whether it has left."""

    # "requested", "accepted", "declined", "message", "schedule", "invitation", ...
    kind = models.CharField(max_length=32)
    about = models.CharField(max_length=200)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    participation = models.ForeignKey(
        "events.Participation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    language = models.CharField(max_length=8, blank=True)
    to = models.JSONField(default=list)
    # The message as written: subject, body, from, alternatives, attachments, ...
    message = models.JSONField(default=dict)
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["state", "updated"]),
            models.Index(fields=["event", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.about} ({self.state})"
