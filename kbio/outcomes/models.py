"""What a partnering meeting led to: an append-only history of outcome records per meeting.

After a meeting, either side or the organizer records where the collaboration stands (a
stage on the cooperation path of `kbio.lib.spine`, a date and a note). Records are never
changed: a new record states the new situation, the latest one is the current stage, and the
earlier ones stay as the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kbio.directory.models import Organization
from kbio.events.models import Event, MeetingRequest
from kbio.lib import spine


class OutcomeStage(models.TextChoices):
    FOLLOW_UP = spine.FOLLOW_UP, _("Follow-up")
    NDA_CDA = spine.NDA_CDA, _("NDA / CDA signed")
    VERIFICATION = spine.VERIFICATION, _("Verification (proof of concept)")
    JOINT_RND = spine.JOINT_RND, _("Joint R&D")
    INVESTMENT = spine.INVESTMENT, _("Investment")
    NONCLINICAL = spine.NONCLINICAL, _("Non-clinical study")
    CLINICAL = spine.CLINICAL, _("Clinical study")
    LICENSING = spine.LICENSING, _("Licensing deal")
    CLOSED = spine.CLOSED, _("Closed without a deal")


assert tuple(OutcomeStage.values) == spine.STAGES, "OutcomeStage and kbio.lib.spine must agree"


class OutcomeQuerySet(models.QuerySet):
    def of_event(self, event: Event):
        return self.filter(request__event=event)

    def for_organization(self, organization: Organization):
        """Records of the organization's own meetings; nobody else's."""
        return self.filter(
            Q(request__requester__organization=organization)
            | Q(request__recipient__organization=organization)
        )

    def history(self):
        """Oldest first: the order in which the collaboration moved."""
        return self.order_by("on", "created", "pk")


class Outcome(models.Model):
    """One statement of where the collaboration of a meeting's two organizations stands."""

    Stage = OutcomeStage

    request = models.ForeignKey(
        MeetingRequest,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="outcomes",
        limit_choices_to={"status": "accepted", "meeting__isnull": False},
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"), help_text=_("When the collaboration reached this stage."))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.ForeignKey(
        Organization,
        verbose_name=_("recorded for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organization whose delegate recorded it; empty for the organizer."),
    )
    created = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-created", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=spine.STAGES), name="outcome_stage_valid"),
        ]
        indexes = [models.Index(fields=["request", "on"])]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_stage_display()} ({self.on:%Y-%m-%d})"

    @property
    def recorded_by_organizer(self) -> bool:
        return self.side_id is None
