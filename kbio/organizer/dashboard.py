"""The figures of an event's dashboard, read in a fixed number of queries.

Every count is made in Python over a handful of flat `values_list` reads (participants, every
request of the event, the meetings, the outcome records), so the number of queries stays the
same however large the event grows. The matching index (kept in memory by the matching app)
gives the focus areas for supply and demand and the suggestions for ventures that lack
meetings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django_countries import countries

from kbio.directory.models import Organization
from kbio.events import pairs
from kbio.events.models import (
    Attendee,
    DeclineReason,
    Event,
    Meeting,
    MeetingRequest,
    Participation,
    RequestStatus,
)
from kbio.lib import spine
from kbio.outcomes.models import Outcome

from . import suggestions

DEFAULT_FEWER_THAN = 3
LOW_VENTURES_PER_PAGE = 25


@dataclass(frozen=True)
class ParticipantRow:
    participation: int
    organization: int
    slug: str
    name: str
    native_name: str
    kind: str
    country: str


@dataclass
class Delegate:
    name: str
    email: str


@dataclass
class LowVenture:
    participant: ParticipantRow
    meetings: int
    delegates: list[Delegate] = field(default_factory=list)
    matches: list[suggestions.Suggested] = field(default_factory=list)


@dataclass
class Figures:
    event: Event
    participants: list[ParticipantRow]
    by_kind: list[tuple[str, int]]  # (kind code, count), in the order of the kinds
    by_country: list[tuple[str, int]]  # (country code, count), most first
    requests_by_status: dict[str, int]
    decline_reasons: list[tuple[str, int]]  # (reason code, count), in reason order
    meetings_of: dict[int, int]  # participation -> meetings its accepted requests make
    distribution: list[tuple[int, int]]  # (meetings, participants with that many)
    placed: int
    published: int
    fewer_than: int
    low_ventures: Page  # of LowVenture, with delegates and suggestions filled in
    balances: dict[str, list]  # focus-area kind -> [Balance]
    pairs_met: int
    funnel: list[tuple[tuple[str, ...], int]]
    current_stages: list[tuple[str, int]]  # (stage, pairs whose latest record it is)

    @property
    def requests_total(self) -> int:
        return sum(self.requests_by_status.values())

    @property
    def answered(self) -> int:
        return (
            self.requests_by_status[RequestStatus.ACCEPTED]
            + self.requests_by_status[RequestStatus.DECLINED]
        )

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among answered (accepted or declined) requests; None before any answer."""
        if not self.answered:
            return None
        return self.requests_by_status[RequestStatus.ACCEPTED] / self.answered


def pair_of(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def load(
    event: Event,
    *,
    fewer_than: int = DEFAULT_FEWER_THAN,
    low_page: int | str | None = 1,
    now: datetime | None = None,
) -> Figures:
    now = now or timezone.now()
    participants = [
        ParticipantRow(*row)
        for row in Participation.objects.filter(event=event)
        .order_by("organization__name", "pk")
        .values_list(
            "pk",
            "organization_id",
            "organization__slug",
            "organization__name",
            "organization__native_name",
            "organization__kind",
            "organization__country",
        )
    ]
    kinds = Counter(p.kind for p in participants)
    by_kind = [(kind, kinds[kind]) for kind in Organization.Kind.values if kinds[kind]]
    country_counts = Counter(p.country for p in participants)
    by_country = sorted(
        country_counts.items(), key=lambda item: (-item[1], str(countries.name(item[0])))
    )

    requests = list(
        MeetingRequest.objects.filter(event=event).values_list(
            "pk",
            "requester_id",
            "recipient_id",
            "status",
            "decline_reason",
            "meeting__is_published",
        )
    )
    statuses = Counter(status for _pk, _r, _c, status, _reason, _published in requests)
    requests_by_status = {status: statuses[status] for status in RequestStatus.values}
    reasons = Counter(
        reason
        for _pk, _r, _c, status, reason, _published in requests
        if status == RequestStatus.DECLINED
    )
    decline_reasons = [(code, reasons[code]) for code in DeclineReason.values if reasons[code]]
    asked: dict[int, set[int]] = defaultdict(set)  # participation -> partners in any request
    for _pk, requester, recipient, *_rest in requests:
        asked[requester].add(recipient)
        asked[recipient].add(requester)
    # Both asked each other and both accepted: one meeting for the pair.
    meetings_to_be = pairs.fold(
        pairs.RequestRow(pk, requester, recipient, bool(published))
        for pk, requester, recipient, status, _reason, published in requests
        if status == RequestStatus.ACCEPTED
    ).per_participant()
    meetings_of = {p.participation: meetings_to_be[p.participation] for p in participants}
    spread = Counter(meetings_of.values())
    distribution = [(n, spread[n]) for n in range(max(spread, default=-1) + 1)]

    meeting_counts = Meeting.objects.of_event(event).aggregate(
        placed=Count("pk"), published=Count("pk", filter=Q(is_published=True))
    )

    low = [
        LowVenture(p, meetings_of[p.participation])
        for p in participants
        if p.kind == Organization.Kind.VENTURE and meetings_of[p.participation] < fewer_than
    ]
    low.sort(key=lambda v: (v.meetings, v.participant.name))
    # Delegates and suggestions only for the ventures on the page shown.
    page = Paginator(low, LOW_VENTURES_PER_PAGE).get_page(low_page)
    if page.object_list:
        by_participation = {v.participant.participation: v for v in page.object_list}
        for participation, name, email in (
            Attendee.objects.filter(participation_id__in=by_participation)
            .order_by("contact__name", "pk")
            .values_list("participation_id", "contact__name", "contact__email")
        ):
            by_participation[participation].delegates.append(Delegate(name, email))
    context = suggestions.EventContext(participants=participants, asked=asked)
    for venture in page.object_list:
        venture.matches = context.best_unrequested(venture.participant)

    org_of = {p.participation: p.organization for p in participants}
    held_pairs = {
        pair_of(org_of[requester], org_of[recipient])
        for requester, recipient in Meeting.objects.of_event(event)
        .filter(is_published=True, slot__starts_at__lte=now)
        .values_list("request__requester_id", "request__recipient_id")
    }
    records = [
        spine.Record(pair_of(a, b), stage, on, pk)
        for a, b, stage, on, pk in Outcome.objects.of_event(event).values_list(
            "request__requester__organization_id",
            "request__recipient__organization_id",
            "stage",
            "on",
            "pk",
        )
    ]
    current = Counter(spine.current_stages(records).values())

    return Figures(
        event=event,
        participants=participants,
        by_kind=by_kind,
        by_country=by_country,
        requests_by_status=requests_by_status,
        decline_reasons=decline_reasons,
        meetings_of=meetings_of,
        distribution=distribution,
        placed=meeting_counts["placed"],
        published=meeting_counts["published"],
        fewer_than=fewer_than,
        low_ventures=page,
        balances=context.balances(),
        pairs_met=len(held_pairs),
        funnel=spine.funnel(records),
        current_stages=[(stage, current[stage]) for stage in spine.STAGES if current[stage]],
    )
