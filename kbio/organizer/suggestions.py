"""What the dashboard takes from the matching app: suggestions an organizer can act on, and
the focus areas behind supply and demand.

Both read the in-memory matching index (one query to check it is current, one for the
weights), so they cost the same number of queries for any number of participants.
Organizations switched off in the directory are not in the index; they have no suggestions
and do not count in supply and demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kbio.directory.models import OrganizationKind
from kbio.lib.supply_demand import DEVELOPER_KINDS, Balance, Participant, balances
from kbio.matching.index import current_index
from kbio.matching.models import MatchingProfile
from kbio.matching.suggestions import ranked

SUGGESTIONS_PER_VENTURE = 3


@dataclass(frozen=True)
class Suggested:
    slug: str
    name: str
    native_name: str
    kind: str
    score: int

    @property
    def kind_label(self) -> str:
        return str(OrganizationKind(self.kind).label)


@dataclass(frozen=True)
class NamedBalance:
    slug: str
    name: str
    seek: int
    offer: int


class EventContext:
    """The matching view of one event's participants."""

    def __init__(self, *, participants: Iterable, asked: dict[int, set[int]]):
        self.index = current_index()
        self.weights = MatchingProfile.objects.weights()
        self.participants = list(participants)
        self.asked = asked
        self.row_of = self.index.engine.row_of

    def best_unrequested(self, participant, limit: int = SUGGESTIONS_PER_VENTURE):
        """The participant's best-scoring partners at this event with no request either way."""
        viewer = self.index.by_slug.get(participant.slug)
        if viewer is None:
            return []
        excluded = self.asked.get(participant.participation, set()) | {participant.participation}
        mask = np.zeros(len(self.index.orgs), dtype=bool)
        for other in self.participants:
            row = self.row_of.get(other.organization)
            if row is not None and other.participation not in excluded:
                mask[row] = True
        found = []
        for candidate, score in ranked(
            self.index, viewer, self.weights, candidates=mask, limit=limit
        ):
            info = self.index.info[candidate.key]
            found.append(Suggested(info.slug, info.name, info.native_name, info.kind, round(score)))
        return found

    def balances(self) -> dict[str, list[NamedBalance]]:
        """Supply against demand per focus area (see kbio.lib.supply_demand for the rules)."""
        taxonomy = self.index.taxonomy
        people = []
        for participant in self.participants:
            org = self.index.by_slug.get(participant.slug)
            if org is None:
                continue
            asset_areas: set[str] = set()
            for asset in org.open_assets:
                asset_areas.add(asset.modality)
                asset_areas.update(asset.areas)
            row = self.index.row(org)
            needs = self.index.engine.needs(row) if org.kind in DEVELOPER_KINDS else set()
            people.append(
                Participant(
                    kind=org.kind,
                    focus_areas=frozenset(org.focus_areas),
                    asset_areas=frozenset(asset_areas),
                    needs=frozenset(needs),
                )
            )
        grouped = balances(people, taxonomy.kinds, taxonomy.parents, self.index.area_order)
        return {kind: [self._named(b) for b in rows] for kind, rows in grouped.items()}

    def _named(self, balance: Balance) -> NamedBalance:
        return NamedBalance(
            balance.slug,
            self.index.area_names[balance.slug].get(),
            balance.seek,
            balance.offer,
        )
