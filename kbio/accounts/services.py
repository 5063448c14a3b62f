"""Invitations and applications: who may join, and what joining creates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kbio.directory.models import Contact, MemberRole, Organization
from kbio.events.models import Participation
from kbio.events.notifications import send_or_log

from .models import Application, ApplicationStatus, Invitation, token_digest


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, context: dict, *, to: str, language: str) -> None:
    """One e-mail (text and HTML) in the reader's language, sent after the change committed;
    a failure is logged (the invitation stays, and can be sent again), never an error page."""

    def build() -> EmailMultiAlternatives:
        with translation.override(language):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            text = render_to_string(f"{template}.txt", context)
            html = render_to_string(f"{template}.html", context)
        message = EmailMultiAlternatives(subject, text, to=[to])
        message.attach_alternative(html, "text/html")
        return message

    send_or_log(build, f"{template} to {to}", kind=template.rsplit("/", 1)[-1], language=language)


def is_member(organization: Organization, email: str) -> bool:
    return Contact.objects.filter(
        organization=organization, email__iexact=email, user__isnull=False
    ).exists()


@transaction.atomic
def invitation_send(
    *,
    organization: Organization,
    email: str,
    role: str = MemberRole.EDITOR,
    name: str = "",
    language: str = "",
    invited_by=None,
) -> Invitation:
    """Invite a person by e-mail; an earlier open invitation to the same address is replaced."""
    email = email.strip()
    if is_member(organization, email):
        raise ValidationError(
            _("%(email)s is already a member of %(organization)s.")
            % {"email": email, "organization": organization.name},
            code="member",
        )
    now = timezone.now()
    organization.invitations.pending(now).filter(email__iexact=email).update(revoked_at=now)
    token, digest = Invitation.new_token()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        name=name,
        role=role,
        language=language,
        token_hash=digest,
        invited_by=invited_by,
        expires_at=Invitation.default_expiry(),
    )
    inviter = ""
    if invited_by is not None:
        inviter = invited_by.get_full_name() or invited_by.get_username()
    with translation.override(invitation.email_language):
        link = _absolute(reverse("accounts:accept", args=[token]))
    context = {
        "invitation": invitation,
        "organization": organization,
        "inviter": inviter,
        "link": link,
        "role": invitation.get_role_display,
    }
    transaction.on_commit(
        lambda: _send(
            "accounts/email/invitation", context, to=email, language=invitation.email_language
        )
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=token_digest(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, name: str, password: str):
    """Create the login, make it a member of the organization, and close the invitation.

    The invitation row is locked, so two clicks on the same link make one account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state() != Invitation.State.PENDING:
        raise ValidationError(_("This invitation can no longer be used."), code="used")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken; choose another."), code="username")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=invitation.email)
    except IntegrityError as exc:
        raise ValidationError(
            _("This username is taken; choose another."), code="username"
        ) from exc
    user.set_password(password)
    user.first_name = name[:150]
    user.save()
    contact = (
        Contact.objects.select_for_update()
        .filter(organization=invitation.organization, email__iexact=invitation.email)
        .first()
    )
    if contact is None:
        contact = Contact(organization=invitation.organization, email=invitation.email)
    if contact.user_id is not None:
        raise ValidationError(
            _("%(email)s is already a member of %(organization)s.")
            % {"email": invitation.email, "organization": invitation.organization.name},
            code="member",
        )
    contact.name = name or contact.name or invitation.name or username
    contact.user = user
    contact.role = invitation.role
    if invitation.language and not contact.language:
        contact.language = invitation.language
    contact.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.state() == Invitation.State.PENDING:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def application_submit(*, application: Application) -> Application:
    if not application.event.takes_registrations:
        raise ValidationError(
            _("%(event)s is not taking registrations.") % {"event": application.event.name},
            code="closed",
        )
    application.save()
    return application


def _free_slug(name: str) -> str:
    base = slugify(name)[:70] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def application_approve(*, application: Application, decided_by) -> Invitation:
    """Add the organization to the directory and the event, and invite the applicant as owner."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."), code="decided")
    organization = Organization.objects.create(
        slug=_free_slug(application.organization_name),
        name=application.organization_name,
        native_name=application.native_name,
        kind=application.kind,
        country=application.country,
        website=application.website,
        description=application.description,
    )
    Contact.objects.create(
        organization=organization,
        name=application.contact_name,
        email=application.email,
        language=application.language,
        role=MemberRole.OWNER,
    )
    Participation.objects.create(event=application.event, organization=organization)
    application.status = ApplicationStatus.APPROVED
    application.organization = organization
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.save()
    from kbio.matching.services import match_index_invalidate

    match_index_invalidate()
    return invitation_send(
        organization=organization,
        email=application.email,
        role=MemberRole.OWNER,
        name=application.contact_name,
        language=application.language,
        invited_by=decided_by,
    )


@transaction.atomic
def application_reject(*, application: Application, decided_by) -> None:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."), code="decided")
    application.status = ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.save()
    language = application.language or "en"
    context = {"application": application, "event": application.event}
    transaction.on_commit(
        lambda: _send(
            "accounts/email/application_rejected", context, to=application.email, language=language
        )
    )
