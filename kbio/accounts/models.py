"""Getting in: invitations that make a person a member of an organization, and applications
from organizations not yet in the directory to take part in an event.

An invitation link carries a random token; only its SHA-256 is stored, so a copy of the
database cannot be used to join. A link works once and for `INVITATION_DAYS` days.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from kbio.directory.models import (
    INTERFACE_LANGUAGES,
    ROLE_NAMES,
    MemberRole,
    Organization,
    OrganizationKind,
)

INVITATION_DAYS = 14


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Withdrawn")


class InvitationQuerySet(models.QuerySet):
    def pending(self, at=None):
        at = at or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at)


class Invitation(models.Model):
    """A person asked by e-mail to join an organization as a member with a role."""

    State = InvitationState

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.EDITOR
    )
    language = models.CharField(
        _("language of the e-mail"), max_length=2, choices=INTERFACE_LANGUAGES, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(condition=~Q(email=""), name="invitation_email_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A fresh link token and the digest to store."""
        token = secrets.token_urlsafe(32)
        return token, token_digest(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=INVITATION_DAYS)

    def state(self, at=None) -> InvitationState:
        at = at or timezone.now()
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def email_language(self) -> str:
        return self.language or self.organization.email_language

    @property
    def role_name(self) -> str:
        return str(ROLE_NAMES.get(self.role, self.role))


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organizer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not accepted")


class Application(models.Model):
    """An organization not yet in the directory asks to take part in an event."""

    Status = ApplicationStatus

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    organization_name = models.CharField(_("organization name"), max_length=200)
    native_name = models.CharField(_("name in Korean or Japanese"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what the organization does"), max_length=2000)
    contact_name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("your e-mail"))
    language = models.CharField(
        _("language of our e-mails"), max_length=2, choices=INTERFACE_LANGUAGES, blank=True
    )
    message = models.TextField(_("message to the organizer"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default="pending"
    )
    created = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="application_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} → {self.event}"
