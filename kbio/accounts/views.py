"""Joining: invitations (sent by organizers and owners, accepted through a one-time link) and
applications of organizations not yet in the directory to an event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbio.directory.models import Contact, Organization
from kbio.events.models import Event, runs_events
from kbio.organizer.views import organizer_required

from . import services
from .access import own_organization_or_404
from .forms import AcceptInvitationForm, ApplicationForm, InvitationForm
from .models import Application, ApplicationStatus, Invitation


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _inviting_organization(request: HttpRequest, slug: str) -> Organization:
    """Organizers invite to any organization; an owner to its own; everyone else gets 404."""
    if runs_events(request.user):
        return get_object_or_404(Organization, slug=slug)
    return own_organization_or_404(request, slug, invite=True)


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _inviting_organization(request, slug)
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                organization=organization, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s. The link works once, for 14 days.")
                % {"email": invitation.email},
            )
            return redirect("accounts:invite", slug=organization.slug)
    pending = list(organization.invitations.pending().select_related("invited_by"))
    members = list(organization.contacts.filter(user__isnull=False).select_related("user"))
    return render(
        request,
        "accounts/invite.html",
        {"organization": organization, "form": form, "pending": pending, "members": members},
    )


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _inviting_organization(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organization=organization)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:invite", slug=organization.slug)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a username and password, and join the organization."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", {"state": None}, status=404)
    state = invitation.state()
    if state != Invitation.State.PENDING:
        context = {"state": state, "invitation": invitation}
        return render(request, "accounts/invitation_invalid.html", context, status=410)
    if request.user.is_authenticated:
        return render(
            request, "accounts/invitation_logged_in.html", {"invitation": invitation}, status=409
        )
    form = AcceptInvitationForm(
        _posted(request), email=invitation.email, initial={"name": invitation.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to K-Bio Partnering. You are now a member of %(organization)s.")
                % {"organization": invitation.organization.name},
            )
            return redirect("home")
    return render(request, "accounts/accept.html", {"invitation": invitation, "form": form})


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization not yet in the directory asks to take part in the event."""
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    if not event.takes_registrations:
        return render(request, "accounts/apply.html", {"event": event, "closed": True})
    form = ApplicationForm(_posted(request), instance=Application(event=event))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(application=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request, "accounts/apply_done.html", {"event": event, "application": form.instance}
            )
    return render(request, "accounts/apply.html", {"event": event, "form": form})


@organizer_required
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    rows = list(event.applications.select_related("organization", "decided_by"))
    return render(
        request,
        "accounts/applications.html",
        {
            "event": event,
            "pending": [a for a in rows if a.status == ApplicationStatus.PENDING],
            "decided": [a for a in rows if a.status != ApplicationStatus.PENDING],
        },
    )


@organizer_required
def event_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Each participant's logins and open invitations, with a link to invite someone."""
    event = get_object_or_404(Event, slug=slug)
    organizations = list(
        Organization.objects.filter(participations__event=event)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(user__isnull=False).select_related("user"),
                to_attr="members",
            ),
            Prefetch(
                "invitations", queryset=Invitation.objects.pending(), to_attr="open_invitations"
            ),
        )
    )
    return render(
        request,
        "accounts/event_members.html",
        {
            "event": event,
            "organizations": organizations,
            "without_login": sum(1 for o in organizations if not o.members),
        },
    )


@organizer_required
@require_POST
def application_decide(request: HttpRequest, slug: str, pk: int, decision: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    application = get_object_or_404(Application, pk=pk, event=event)
    try:
        if decision == "approve":
            services.application_approve(application=application, decided_by=request.user)
            messages.success(
                request,
                _("%(name)s is in the directory and the event; %(email)s is invited as its owner.")
                % {"name": application.organization_name, "email": application.email},
            )
        elif decision == "reject":
            services.application_reject(application=application, decided_by=request.user)
            messages.success(
                request,
                _("%(name)s is told the application was not accepted.")
                % {"name": application.organization_name},
            )
        else:
            raise Http404("Unknown decision.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("accounts:applications", args=[event.slug]))
