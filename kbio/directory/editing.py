"""Members keep their organization's profile, partnering criteria, pipeline and team.

Owners and editors write; viewers read the same pages without forms (a write is a 404 for
them, as for outsiders); the organizer keeps name, slug, kind and country in the admin.
Every write goes through `services.py`, which records the user in the history and refreshes
the suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kbio.accounts.access import delegate_of, own_organization_or_404

from . import services
from .completeness import completeness_hints
from .forms import (
    AssetForm,
    ContactForm,
    ExclusionForm,
    InterestForm,
    InvestorMandateForm,
    ProfileForm,
    RelationshipForm,
    ServiceCapabilityForm,
)
from .models import Asset, Contact, Organization
from .partnering import (
    Exclusion,
    Interest,
    InvestorMandate,
    Relationship,
    ServiceCapability,
    criteria_of,
)


@dataclass(frozen=True)
class CriterionKind:
    model: type[Model]
    form: type[forms.ModelForm]
    add_label: str
    edit_label: str


CRITERIA: dict[str, CriterionKind] = {
    "interest": CriterionKind(
        Interest,
        InterestForm,
        gettext_lazy("Add what you look for"),
        gettext_lazy("Change what you look for"),
    ),
    "exclusion": CriterionKind(
        Exclusion,
        ExclusionForm,
        gettext_lazy("Add what you have left or rule out"),
        gettext_lazy("Change what you have left or rule out"),
    ),
    "mandate": CriterionKind(
        InvestorMandate,
        InvestorMandateForm,
        gettext_lazy("Add your investment mandate"),
        gettext_lazy("Change your investment mandate"),
    ),
    "capability": CriterionKind(
        ServiceCapability,
        ServiceCapabilityForm,
        gettext_lazy("Add a service you provide"),
        gettext_lazy("Change a service you provide"),
    ),
    "relationship": CriterionKind(
        Relationship,
        RelationshipForm,
        gettext_lazy("Add an organization you already work with"),
        gettext_lazy("Change a relationship"),
    ),
}


def _member(request: HttpRequest, slug: str) -> tuple[Organization, Contact]:
    """The member's own organization; reading needs any role, writing owner or editor."""
    organization = own_organization_or_404(request, slug, edit=request.method == "POST")
    return organization, delegate_of(request)


def _editor(request: HttpRequest, slug: str) -> tuple[Organization, Contact]:
    """Pages that are only a form: owners and editors, for reading as for writing."""
    organization = own_organization_or_404(request, slug, edit=True)
    return organization, delegate_of(request)


def _page(request, template: str, organization, contact, section: str, **context):
    context.update(
        organization=organization,
        member=contact,
        can_edit=contact.can_edit,
        section=section,
        hints=[(hint, hint.url(organization.slug)) for hint in completeness_hints(organization)]
        if contact.can_edit
        else [],
    )
    status = 400 if any(f.errors for f in _forms_in(context)) else 200
    return render(request, template, context, status=status)


def _forms_in(context: dict) -> list[forms.BaseForm]:
    return [v for v in context.values() if isinstance(v, forms.BaseForm) and v.is_bound]


# --- profile ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest, slug: str) -> HttpResponse:
    organization, contact = _member(request, slug)
    form = ProfileForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_profile_update(form=form, user=request.user)
        messages.success(request, _("Profile saved. Suggestions use it from now on."))
        return redirect("directory:edit_profile", slug)
    if not contact.can_edit:
        for field in form.fields.values():
            field.disabled = True
    return _page(
        request, "directory/edit/profile.html", organization, contact, "profile", form=form
    )


# --- partnering criteria ----------------------------------------------------------------------


@login_required
def edit_criteria(request: HttpRequest, slug: str) -> HttpResponse:
    organization, contact = _member(request, slug)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    criteria = criteria_of(organization)
    return _page(
        request,
        "directory/edit/criteria.html",
        organization,
        contact,
        "criteria",
        criteria=criteria,
        kinds=CRITERIA,
    )


def _criterion_kind(kind: str) -> CriterionKind:
    if kind not in CRITERIA:
        raise Http404("No such kind of criterion.")
    return CRITERIA[kind]


def _criterion_or_404(kind: CriterionKind, organization: Organization, pk: int) -> Model:
    # Only criteria the organization records itself: a relationship its partner recorded is
    # the partner's to change.
    return get_object_or_404(kind.model.objects.filter(organization=organization), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_form(request: HttpRequest, slug: str, kind: str, pk: int | None = None):
    organization, contact = _editor(request, slug)
    found = _criterion_kind(kind)
    instance = _criterion_or_404(found, organization, pk) if pk is not None else None
    form = found.form(request.POST or None, instance=instance, organization=organization)
    if request.method == "POST" and form.is_valid():
        services.criterion_save(form=form, user=request.user)
        messages.success(request, _("Saved. Suggestions use it from now on."))
        return redirect(reverse("directory:edit_criteria", args=[slug]) + f"#{kind}")
    title = found.edit_label if instance else found.add_label
    return _page(
        request,
        "directory/edit/item_form.html",
        organization,
        contact,
        "criteria",
        form=form,
        title=title,
        back=reverse("directory:edit_criteria", args=[slug]),
        delete_url=(
            reverse("directory:criterion_delete", args=[slug, kind, instance.pk])
            if instance
            else None
        ),
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    organization, _contact = _editor(request, slug)
    criterion = _criterion_or_404(_criterion_kind(kind), organization, pk)
    services.criterion_delete(criterion=criterion, user=request.user)
    messages.success(request, _("Deleted. Suggestions no longer use it."))
    return redirect(reverse("directory:edit_criteria", args=[slug]) + f"#{kind}")


# --- pipeline ---------------------------------------------------------------------------------


@login_required
def edit_assets(request: HttpRequest, slug: str) -> HttpResponse:
    organization, contact = _member(request, slug)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    assets = list(Asset.objects.filter(organization=organization).select_related("modality"))
    return _page(
        request, "directory/edit/assets.html", organization, contact, "assets", assets=assets
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organization, contact = _editor(request, slug)
    asset = (
        get_object_or_404(Asset.objects.filter(organization=organization), pk=pk)
        if pk is not None
        else None
    )
    form = AssetForm(request.POST or None, instance=asset, organization=organization)
    if request.method == "POST" and form.is_valid():
        services.asset_save(form=form, user=request.user)
        messages.success(request, _("Asset saved. Suggestions use it from now on."))
        return redirect("directory:edit_assets", slug)
    return _page(
        request,
        "directory/edit/item_form.html",
        organization,
        contact,
        "assets",
        form=form,
        title=_("Change an asset") if asset else _("Add an asset"),
        back=reverse("directory:edit_assets", args=[slug]),
        delete_url=reverse("directory:asset_delete", args=[slug, asset.pk]) if asset else None,
        tiers=True,
    )


@login_required
@require_POST
def asset_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, _contact = _editor(request, slug)
    asset = get_object_or_404(Asset.objects.filter(organization=organization), pk=pk)
    services.asset_delete(asset=asset, user=request.user)
    messages.success(request, _("Asset deleted."))
    return redirect("directory:edit_assets", slug)


# --- team -------------------------------------------------------------------------------------


@login_required
def edit_contacts(request: HttpRequest, slug: str) -> HttpResponse:
    organization, contact = _member(request, slug)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    contacts = list(Contact.objects.filter(organization=organization).order_by("name", "pk"))
    for person in contacts:
        person.editable = _may_change(contact, person)
    return _page(
        request,
        "directory/edit/contacts.html",
        organization,
        contact,
        "contacts",
        contacts=contacts,
        invite_url=reverse("accounts:invite", args=[slug]) if contact.can_invite else None,
    )


def _may_change(member: Contact, person: Contact) -> bool:
    """Editors keep the team's details; an owner's entry is for owners to change."""
    if not member.can_edit:
        return False
    return member.can_invite or person.role != Contact.Role.OWNER


@login_required
@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    organization, contact = _editor(request, slug)
    person = None
    if pk is not None:
        person = get_object_or_404(Contact.objects.filter(organization=organization), pk=pk)
        if not _may_change(contact, person):
            raise Http404("Only an owner changes an owner's entry.")
    form = ContactForm(
        request.POST or None,
        instance=person,
        organization=organization,
        with_role=contact.can_invite,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(form=form, user=request.user)
        except ValidationError as refused:
            form.add_error("role" if "role" in form.fields else None, refused)
        else:
            messages.success(request, _("Team saved."))
            return redirect("directory:edit_contacts", slug)
    return _page(
        request,
        "directory/edit/item_form.html",
        organization,
        contact,
        "contacts",
        form=form,
        title=_("Change a team member") if person else _("Add a team member"),
        back=reverse("directory:edit_contacts", args=[slug]),
        delete_url=(
            reverse("directory:contact_remove", args=[slug, person.pk])
            if person and not person.is_last_owner
            else None
        ),
        delete_label=_("Remove from the team"),
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, contact = _editor(request, slug)
    person = get_object_or_404(Contact.objects.filter(organization=organization), pk=pk)
    if not _may_change(contact, person):
        raise Http404("Only an owner removes an owner.")
    try:
        services.contact_remove(contact=person, user=request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("%(name)s is no longer in the team.") % {"name": person.name})
    return redirect("directory:edit_contacts", slug)
