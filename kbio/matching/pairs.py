"""How well given partners fit one organization: the score and reasons of its matches page.

Pages outside matching (an inbox, an event's participant list, a start page) show the fit of
a few known pairs rather than a ranking. They call `fits_for`, which asks the same
`suggestions.explain` the matches page asks, so a pair shows the same score and reasons
everywhere. Two queries (the index version and the weights) whatever the number of partners,
while the index is current.
"""

from __future__ import annotations

from collections.abc import Iterable

from .index import current_index
from .models import MatchingProfile
from .suggestions import Suggestion, explain


def fits_for(viewer_id: int, partner_ids: Iterable[int]) -> dict[int, Suggestion]:
    """For each partner organization id, its fit for the viewer (an organization id).

    Organizations the index does not hold (switched off in the directory) are left out, as is
    everything when the viewer is not in the index."""
    wanted = {pk for pk in partner_ids if pk != viewer_id}
    if not wanted:
        return {}
    index = current_index()
    row_of = index.engine.row_of
    if viewer_id not in row_of:
        return {}
    weights = MatchingProfile.objects.weights()
    viewer = index.orgs[row_of[viewer_id]]
    return {
        pk: explain(index, viewer, index.orgs[row_of[pk]], weights)
        for pk in sorted(wanted)
        if pk in row_of
    }
