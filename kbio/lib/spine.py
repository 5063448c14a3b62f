"""Where a partnership stands after a meeting: the cooperation path and its funnel (no Django).

The path the Korea–Japan programme describes runs verification → joint R&D → investment →
non-clinical/clinical studies → licensing. Before it come the first steps after any good
meeting (a follow-up, a confidentiality agreement); beside it, the end without a deal.

A pair's outcome history is a list of records; the *current* stage is the latest record, and
the *furthest* stage is the highest point on the path any record reached (a pair that ran a
verification and then closed without a deal still counts as having reached verification).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

FOLLOW_UP = "follow_up"
NDA_CDA = "nda_cda"
VERIFICATION = "verification"
JOINT_RND = "joint_rnd"
INVESTMENT = "investment"
NONCLINICAL = "nonclinical_study"
CLINICAL = "clinical_study"
LICENSING = "licensing"
CLOSED = "closed_no_deal"

# Every stage in path order; "closed without a deal" is last and is not on the path.
STAGES: tuple[str, ...] = (
    FOLLOW_UP,
    NDA_CDA,
    VERIFICATION,
    JOINT_RND,
    INVESTMENT,
    NONCLINICAL,
    CLINICAL,
    LICENSING,
    CLOSED,
)
PATH_RANK: dict[str, int] = {stage: rank for rank, stage in enumerate(STAGES[:-1])}

# The funnel's steps: a step counts the pairs whose furthest stage is its first stage or
# anything after it on the path. Non-clinical and clinical studies are one step.
FUNNEL_STEPS: tuple[tuple[str, ...], ...] = (
    (FOLLOW_UP, NDA_CDA),
    (VERIFICATION,),
    (JOINT_RND,),
    (INVESTMENT,),
    (NONCLINICAL, CLINICAL),
    (LICENSING,),
)


@dataclass(frozen=True)
class Record:
    pair: Hashable  # the two organizations of a meeting, in a fixed order
    stage: str
    on: date
    sequence: int  # order of recording, to break ties between records of the same day


def current_stages(records: Iterable[Record]) -> dict[Hashable, str]:
    """Each pair's latest stage (latest date, then latest recorded)."""
    latest: dict[Hashable, Record] = {}
    for record in records:
        seen = latest.get(record.pair)
        if seen is None or (record.on, record.sequence) > (seen.on, seen.sequence):
            latest[record.pair] = record
    return {pair: record.stage for pair, record in latest.items()}


def furthest_ranks(records: Iterable[Record]) -> dict[Hashable, int | None]:
    """Each pair's highest rank on the path; None for a pair that only closed."""
    furthest: dict[Hashable, int | None] = {}
    for record in records:
        rank = PATH_RANK.get(record.stage)
        known = furthest.get(record.pair)
        if record.pair not in furthest or (rank is not None and (known is None or rank > known)):
            furthest[record.pair] = rank
    return furthest


def funnel(records: Iterable[Record]) -> list[tuple[tuple[str, ...], int]]:
    """(step, number of pairs that reached it or went further), for every funnel step."""
    ranks = [rank for rank in furthest_ranks(records).values() if rank is not None]
    return [(step, sum(1 for rank in ranks if rank >= PATH_RANK[step[0]])) for step in FUNNEL_STEPS]
