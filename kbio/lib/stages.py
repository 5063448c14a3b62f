"""The development-stage ladder, ordered from discovery to approved.

Plain data so the matching score and the scheduler can use it without Django.
"""

STAGE_ORDER: tuple[str, ...] = (
    "discovery",
    "lead_optimization",
    "preclinical",
    "ind_cleared",
    "phase_1",
    "phase_1_2",
    "phase_2",
    "phase_2_3",
    "phase_3",
    "filed",
    "approved",
)
NOT_APPLICABLE = "not_applicable"
ALL_STAGES: tuple[str, ...] = (*STAGE_ORDER, NOT_APPLICABLE)

STAGE_RANK: dict[str, int] = {code: rank for rank, code in enumerate(STAGE_ORDER)}

CLINICAL_STAGES = frozenset(STAGE_ORDER[STAGE_ORDER.index("ind_cleared") :])


def rank(stage: str) -> int | None:
    """Position on the ladder, or None for 'not applicable' and unknown codes."""
    return STAGE_RANK.get(stage)


def is_clinical(stage: str) -> bool:
    return stage in CLINICAL_STAGES
