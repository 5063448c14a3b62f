"""The fit of the other side of a meeting request, or of a fellow participant, for a viewer.

The score and reasons are those of the viewer's matches page (`kbio.matching.pairs`): a
request in the inbox, a participant in the event's list and a start page's "waiting for your
answer" show the same number for the same pair. Two queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbio.matching.pairs import fits_for
from kbio.matching.suggestions import Suggestion

from .models import MeetingRequest, Participation


def request_fits(
    viewer_id: int, meeting_requests: Iterable[MeetingRequest]
) -> dict[int, Suggestion]:
    """Request id -> how well the request's other side fits the viewer (an organization id).

    Load the requests with `for_lists()` (the two organizations); a request whose other side
    the matching index does not hold has no entry."""
    partner_of = {}
    for meeting_request in meeting_requests:
        sides = (
            meeting_request.requester.organization_id,
            meeting_request.recipient.organization_id,
        )
        if viewer_id in sides:  # someone else's request has no fit for the viewer
            partner_of[meeting_request.pk] = sides[1] if sides[0] == viewer_id else sides[0]
    fits = fits_for(viewer_id, partner_of.values())
    return {pk: fits[partner] for pk, partner in partner_of.items() if partner in fits}


def participant_fits(
    viewer_id: int, participations: Iterable[Participation]
) -> dict[int, Suggestion]:
    """Participation id -> how well that participant fits the viewer (an organization id)."""
    organization_of = {p.pk: p.organization_id for p in participations}
    fits = fits_for(viewer_id, organization_of.values())
    return {pk: fits[org] for pk, org in organization_of.items() if org in fits}
