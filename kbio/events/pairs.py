"""One meeting per pair: the rule that turns accepted requests into the meetings to place.

Two participants that asked each other and both accepted meet once: one of the two requests
carries the meeting (the one already on a published agenda, else the older), the other is its
twin. The scheduler's load, the agenda page, the schedule e-mail and its calendar file, the
organizer's dashboard and schedule page all count meetings through `fold`, so they agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.db.models import QuerySet


class RequestRow(NamedTuple):
    """What the rule needs of one accepted request."""

    pk: int
    requester: int  # participation id
    recipient: int  # participation id
    published: bool  # its meeting is on the participants' agendas


@dataclass(frozen=True)
class Folded:
    """Accepted requests folded into meetings: `kept` carry one meeting each (in the order
    given); `twins` maps each left-out request to the kept one whose meeting covers it."""

    kept: list[RequestRow] = field(default_factory=list)
    twins: dict[int, int] = field(default_factory=dict)

    def per_participant(self) -> Counter[int]:
        """{participation id: meetings it is to have}."""
        counts: Counter[int] = Counter()
        for row in self.kept:
            counts[row.requester] += 1
            counts[row.recipient] += 1
        return counts


def fold(rows: Iterable[RequestRow]) -> Folded:
    """One kept request per pair of participants: the one whose meeting is published, else the
    one with the lowest id (the older)."""
    rows = sorted(rows, key=lambda row: row.pk)
    carrier: dict[frozenset[int], RequestRow] = {}
    for row in rows:
        pair = frozenset((row.requester, row.recipient))
        first = carrier.get(pair)
        if first is None or (row.published and not first.published):
            carrier[pair] = row
    kept_ids = {row.pk for row in carrier.values()}
    twins = {
        row.pk: carrier[frozenset((row.requester, row.recipient))].pk
        for row in rows
        if row.pk not in kept_ids
    }
    return Folded(kept=[row for row in rows if row.pk in kept_ids], twins=twins)


def fold_queryset(requests: QuerySet) -> Folded:
    """`fold` over a queryset of requests (already narrowed to the accepted ones), in one
    query."""
    return fold(
        RequestRow(pk, requester, recipient, bool(published))
        for pk, requester, recipient, published in requests.values_list(
            "pk", "requester_id", "recipient_id", "meeting__is_published"
        )
    )


Request = TypeVar("Request")


def kept_requests(requests: Sequence[Request]) -> list[Request]:
    """The requests (MeetingRequest objects, their meeting loaded) that carry a meeting, in the
    order given: the twin of a mutual pair is left out."""
    folded = fold(
        RequestRow(r.pk, r.requester_id, r.recipient_id, r.published_meeting is not None)
        for r in requests
    )
    return [r for r in requests if r.pk not in folded.twins]
