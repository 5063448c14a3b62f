"""Writes members make to their organization: profile, partnering criteria, pipeline, team.

Each write names the user, so that the history (django-simple-history) says who changed
what even outside a request, and refreshes the matching index, so that suggestions change
at once (kbio.matching.services.match_index_invalidate).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kbio.matching.services import match_index_invalidate

from .forms import ProfileForm
from .models import Asset, Contact, MemberRole, Organization

# The change reason of history records written through the members' pages.
MEMBER_EDIT = "member page"


def _by(instance: Model, user) -> Model:
    """Mark the history records of this write: who, one shared time (the row and each list of
    focus areas or deal types get a record of their own), and that a member page made it."""
    instance._history_user = user
    instance._history_date = timezone.now()
    instance._change_reason = MEMBER_EDIT
    return instance


def _free_slug(model: type[Model], organization: Organization, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever the organization has not used (one query)."""
    base = (slugify(base) or "item")[:70].strip("-") or "item"
    taken = set(
        model.objects.filter(organization=organization, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_profile_update(*, form: ProfileForm, user) -> Organization:
    organization = _by(form.save(commit=False), user)
    organization.save()
    form.save_m2m()
    organization.focus_areas.set(form.focus_areas())
    match_index_invalidate()
    return organization


@transaction.atomic
def criterion_save(*, form, user) -> Model:
    """Add or change an interest, exclusion, mandate, service capability or relationship."""
    criterion = _by(form.save(commit=False), user)
    if hasattr(criterion, "slug") and not criterion.slug:
        criterion.slug = _free_slug(type(criterion), criterion.organization, _criterion_slug(form))
    criterion.save()
    form.save_m2m()
    match_index_invalidate()
    return criterion


def _criterion_slug(form) -> str:
    data = form.cleaned_data
    if "focus_area" in data:  # an exclusion: what it rules out
        subject = data.get("focus_area") or data.get("deal_type")
        return f"not-{subject.slug}" if subject else "exclusion"
    named = [*data.get("modalities", []), *data.get("therapeutic_areas", [])]
    return "-".join(area.slug for area in named[:2]) or "interest"


@transaction.atomic
def criterion_delete(*, criterion: Model, user) -> None:
    _by(criterion, user).delete()
    match_index_invalidate()


@transaction.atomic
def asset_save(*, form, user) -> Asset:
    asset = _by(form.save(commit=False), user)
    if not asset.pk:
        organization = asset.organization
        asset.slug = _free_slug(Asset, organization, asset.name)
        last = Asset.objects.filter(organization=organization).aggregate(Max("order"))
        asset.order = min((last["order__max"] or 0) + 1, 32767)
    asset.save()
    form.save_m2m()
    match_index_invalidate()
    return asset


@transaction.atomic
def asset_delete(*, asset: Asset, user) -> None:
    _by(asset, user).delete()
    match_index_invalidate()


def _owners_locked(organization_id: int) -> None:
    # Two owners demoting each other at the same moment must not leave none (PostgreSQL).
    list(
        Contact.objects.select_for_update()
        .filter(organization_id=organization_id, role=MemberRole.OWNER)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def contact_save(*, form, user) -> Contact:
    """Add or change a member of the team; the last owner stays an owner."""
    contact = form.save(commit=False)
    if contact.pk:
        _owners_locked(contact.organization_id)
        before = Contact.objects.get(pk=contact.pk)
        if before.is_last_owner and contact.role != MemberRole.OWNER:
            raise ValidationError(
                _("Your organization needs an owner: make someone else an owner first."),
                code="last_owner",
            )
    _by(contact, user).save()
    # Contacts are not part of the matching, so the index stays.
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, user) -> None:
    _owners_locked(contact.organization_id)
    if contact.is_last_owner:
        raise ValidationError(
            _("Your organization needs an owner: make someone else an owner first."),
            code="last_owner",
        )
    _by(contact, user).delete()
