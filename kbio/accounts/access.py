"""Who a logged-in user speaks for, and the one way views fetch objects on their behalf.

A user is a delegate (Contact) of one organization. Every object a participant touches is
fetched through `get_for_organization_or_404`, which narrows the query with the model's
`for_organization()` QuerySet method: another organization's object is a 404, never data.
"""

from __future__ import annotations

from functools import wraps

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from kbio.directory.models import Contact, Organization


def delegate_of(request: HttpRequest) -> Contact | None:
    """The logged-in user's Contact (with its organization), looked up once per request."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_kbio_delegate"):
        request._kbio_delegate = (
            Contact.objects.select_related("organization").filter(user=request.user).first()
        )
    return request._kbio_delegate


def organization_of(request: HttpRequest) -> Organization | None:
    contact = delegate_of(request)
    return contact.organization if contact else None


def get_for_organization_or_404(
    queryset: QuerySet, organization: Organization | None, **lookups
) -> Model:
    """One object visible to `organization`, or Http404 (also for users with no organization)."""
    if organization is None:
        raise Http404("No organization for this login.")
    return get_object_or_404(queryset.for_organization(organization), **lookups)


def own_organization_or_404(
    request: HttpRequest, slug: str, *, edit: bool = False, invite: bool = False
) -> Organization:
    """The organization at `slug` when the login is one of its members, else Http404.

    `edit` requires an owner or editor, `invite` an owner: a viewer, like an outsider, gets a
    404 for writes, so a page never shows a form its reader cannot send."""
    contact = delegate_of(request)
    if contact is None or contact.organization.slug != slug:
        raise Http404("Only the organization's own members can do this.")
    if (edit and not contact.can_edit) or (invite and not contact.can_invite):
        raise Http404("This member's role does not allow it.")
    return contact.organization


def is_own(request: HttpRequest, organization_pk: int) -> bool:
    """Is the login a member of this organization? Pages say "you" only when it is."""
    contact = delegate_of(request)
    return contact is not None and contact.organization_id == organization_pk


def can_write(request: HttpRequest) -> bool:
    """May the login change things for its organization (owner or editor, not viewer)?"""
    contact = delegate_of(request)
    return contact is not None and contact.can_edit


def _is_viewer(request: HttpRequest) -> bool:
    # Logins without an organization (organizers) are left to the view's own checks.
    contact = delegate_of(request)
    return contact is not None and not contact.can_edit


def posts_need_editor(view):
    """A participant view whose POST changes the organization's data: a viewer's POST is a
    404, like an outsider's. GETs answer as the view decides."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method == "POST" and _is_viewer(request):
            raise Http404("This member's role does not allow changes.")
        return view(request, *args, **kwargs)

    return wrapped


def editor_required(view):
    """A page that exists only to change something (a decline form): viewers get a 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if _is_viewer(request):
            raise Http404("This member's role does not allow changes.")
        return view(request, *args, **kwargs)

    return wrapped
