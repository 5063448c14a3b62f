"""Writes that matching depends on. Call `match_index_invalidate` from every place that
writes organizations, assets, focus areas or partnership types (no signals: the callers are
few and explicit, see docs/matching.md)."""

import uuid

from django.db import transaction

from kbio.core.pagecache import data_changed

from .models import MatchIndexVersion, MatchingProfile


@transaction.atomic
def match_index_invalidate() -> None:
    """Make every server process rebuild its ranking index on its next request."""
    MatchIndexVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})
    # The same writes change the pages cached for visitors (bulk writes send no signals).
    data_changed()


@transaction.atomic
def matching_profile_make_default(*, profile: MatchingProfile) -> None:
    """Make `profile` the one default profile."""
    MatchingProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(is_default=False)
    profile.is_default = True
    profile.save(update_fields=["is_default", "updated"])


@transaction.atomic
def suggestion_feedback_record(*, organization, partner, reason: str, user=None) -> None:
    """`organization` does not want `partner` suggested again (once per pair; a second mark
    replaces the reason)."""
    from .models import ShortlistEntry, SuggestionFeedback

    SuggestionFeedback.objects.update_or_create(
        organization=organization,
        partner=partner,
        defaults={"reason": reason, "created_by": user},
    )
    # Not interested and shortlisted exclude each other: the latest word counts.
    ShortlistEntry.objects.filter(organization=organization, partner=partner).delete()
    match_index_invalidate()


@transaction.atomic
def suggestion_feedback_withdraw(*, organization, partner) -> None:
    from .models import SuggestionFeedback

    SuggestionFeedback.objects.filter(organization=organization, partner=partner).delete()
    match_index_invalidate()


class ShortlistRefused(ValueError):
    """An organization cannot shortlist itself."""


@transaction.atomic
def shortlist_add(*, organization, partner, user=None, note: str | None = None):
    """`organization` shortlists `partner` (once per pair; `note` replaces the note when given).

    Shortlisting withdraws a "not interested" mark on the same partner, which makes it a
    suggestion again."""
    from .models import ShortlistEntry, SuggestionFeedback

    if organization.pk == partner.pk:
        raise ShortlistRefused("An organization cannot shortlist itself.")
    entry, created = ShortlistEntry.objects.get_or_create(
        organization=organization,
        partner=partner,
        defaults={"added_by": user, "note": note or ""},
    )
    if not created and note is not None and note != entry.note:
        entry.note = note
        entry.save(update_fields=["note"])
    withdrawn, _ = SuggestionFeedback.objects.filter(
        organization=organization, partner=partner
    ).delete()
    if withdrawn:
        match_index_invalidate()
    return entry


@transaction.atomic
def shortlist_remove(*, organization, partner) -> None:
    from .models import ShortlistEntry

    ShortlistEntry.objects.filter(organization=organization, partner=partner).delete()
