"""What an organization keeps of the suggestions: its shortlist and its "not interested" marks,
private to the organization. Reads only; the writes are `services.shortlist_add`,
`shortlist_remove`, `suggestion_feedback_record` and `suggestion_feedback_withdraw`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from kbio.directory.models import Organization

from .index import current_index
from .models import MatchingProfile, ShortlistEntry, SuggestionFeedback
from .suggestions import Suggestion, explain


@dataclass(frozen=True)
class Shortlisted:
    entry: ShortlistEntry  # with its partner
    fit: Suggestion | None  # the matching's score and reasons; None when it cannot be scored
    profile_url: str | None

    @property
    def partner(self) -> Organization:
        return self.entry.partner


@dataclass(frozen=True)
class PartnerState:
    """What the organization has said about one partner."""

    shortlisted: bool = False
    not_interested: str = ""  # the reason's code, empty when not marked

    @property
    def reason_label(self) -> str:
        return str(SuggestionFeedback.Reason(self.not_interested).label)


def _profile_url(slug: str) -> str | None:
    try:
        return reverse("directory:organization", args=[slug])
    except NoReverseMatch:
        return None


def shortlisted(organization: Organization, *, limit: int | None = None) -> list[Shortlisted]:
    """The organization's shortlist, latest first, each partner with its fit from the matching.

    Three queries when the matching index is current (the entries, the index version, the
    matching profile), whatever the number of entries."""
    entries = list(
        ShortlistEntry.objects.for_organization(organization).select_related("partner")[:limit]
    )
    if not entries:
        return []
    index = current_index()
    weights = MatchingProfile.objects.weights()
    viewer = index.by_slug.get(organization.slug)
    found = []
    for entry in entries:
        candidate = index.by_slug.get(entry.partner.slug)
        fit = None
        # Only active organizations are in the index; another one keeps its entry, unscored.
        if viewer is not None and candidate is not None:
            fit = explain(index, viewer, candidate, weights)
        found.append(Shortlisted(entry, fit, _profile_url(entry.partner.slug)))
    return found


def not_interested_marks(organization: Organization) -> list[SuggestionFeedback]:
    """The partners the organization marked "not interested", latest first (one query)."""
    return list(
        SuggestionFeedback.objects.filter(organization=organization).select_related("partner")
    )


def partner_states(
    organization: Organization | None, partner_ids: Iterable[int]
) -> dict[int, PartnerState]:
    """For each partner id the organization said something about, what it said (two queries;
    none without an organization or partners)."""
    wanted = [pk for pk in partner_ids if organization is None or pk != organization.pk]
    if organization is None or not wanted:
        return {}
    listed = set(
        ShortlistEntry.objects.for_organization(organization)
        .filter(partner_id__in=wanted)
        .values_list("partner_id", flat=True)
    )
    marked = dict(
        SuggestionFeedback.objects.filter(
            organization=organization, partner_id__in=wanted
        ).values_list("partner_id", "reason")
    )
    return {
        pk: PartnerState(shortlisted=pk in listed, not_interested=marked.get(pk, ""))
        for pk in listed | set(marked)
    }
