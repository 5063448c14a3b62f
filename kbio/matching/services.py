"""Writes that matching depends on. Call `match_index_invalidate` from every place that
writes organizations, assets, focus areas or partnership types (no signals: the callers are
few and explicit, see docs/matching.md)."""

import uuid

from django.db import transaction

from .models import MatchIndexVersion, MatchingProfile


@transaction.atomic
def match_index_invalidate() -> None:
    """Make every server process rebuild its ranking index on its next request."""
    MatchIndexVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


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
    from .models import SuggestionFeedback

    SuggestionFeedback.objects.update_or_create(
        organization=organization,
        partner=partner,
        defaults={"reason": reason, "created_by": user},
    )
    match_index_invalidate()


@transaction.atomic
def suggestion_feedback_withdraw(*, organization, partner) -> None:
    from .models import SuggestionFeedback

    SuggestionFeedback.objects.filter(organization=organization, partner=partner).delete()
    match_index_invalidate()
