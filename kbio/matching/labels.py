"""What participants did with suggestions, as labelled pairs for evaluating the matching.

A pair is labelled by what its two organizations did: a meeting request accepted, an outcome
recorded after the meeting (the furthest stage counts), a request declined (with its reason),
a suggestion marked "not interested". `manage.py matching_labels` writes them as CSV, next to
the score the matching gives the pair today, so that a later change of the rules can be
measured against what people actually chose."""

from __future__ import annotations

from dataclasses import dataclass

from kbio.events.models import MeetingRequest, RequestStatus
from kbio.lib import spine
from kbio.outcomes.models import Outcome

from .models import SuggestionFeedback

POSITIVE = "positive"
NEGATIVE = "negative"


@dataclass(frozen=True)
class Label:
    organization: str  # slug of the side whose choice it is
    partner: str
    label: str  # positive or negative
    evidence: str  # accepted, outcome:<stage>, declined:<reason>, not_interested:<reason>
    on: str  # ISO date


def labelled_pairs() -> list[Label]:
    """Every labelled pair, in four queries; a later, stronger signal about the same pair
    (an outcome after an acceptance) replaces the earlier one."""
    found: dict[tuple[str, str], Label] = {}
    requests = MeetingRequest.objects.filter(
        status__in=[RequestStatus.ACCEPTED, RequestStatus.DECLINED]
    ).values_list(
        "recipient__organization__slug",
        "requester__organization__slug",
        "status",
        "decline_reason",
        "answered_at",
        "created",
    )
    for recipient, requester, status, reason, answered, sent in requests.order_by("pk"):
        when = (answered or sent).date().isoformat()
        if status == RequestStatus.ACCEPTED:
            found[(recipient, requester)] = Label(recipient, requester, POSITIVE, "accepted", when)
        else:
            evidence = f"declined:{reason}"
            found[(recipient, requester)] = Label(recipient, requester, NEGATIVE, evidence, when)
    outcomes = Outcome.objects.values_list(
        "request__requester__organization__slug",
        "request__recipient__organization__slug",
        "stage",
        "on",
    ).order_by("on", "pk")
    for a, b, stage, on in outcomes:
        label = NEGATIVE if stage == spine.CLOSED else POSITIVE
        for pair in ((a, b), (b, a)):
            found[pair] = Label(pair[0], pair[1], label, f"outcome:{stage}", on.isoformat())
    feedback = SuggestionFeedback.objects.values_list(
        "organization__slug", "partner__slug", "reason", "created"
    ).order_by("created")
    for organization, partner, reason, created in feedback:
        evidence = f"not_interested:{reason}"
        on = created.date().isoformat()
        found[(organization, partner)] = Label(organization, partner, NEGATIVE, evidence, on)
    return sorted(found.values(), key=lambda label: (label.organization, label.partner))
