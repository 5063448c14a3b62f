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
