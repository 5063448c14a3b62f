"""The outcome funnel against hand-counted histories."""

from datetime import date

from kbio.lib import spine
from kbio.lib.spine import Record


def record(pair, stage, day, sequence=0):
    return Record(pair, stage, date(2025, 2, day), sequence)


def test_current_stage_is_the_latest_dated_record_then_the_latest_recorded():
    records = [
        record("ab", spine.VERIFICATION, 10, sequence=1),
        record("ab", spine.FOLLOW_UP, 3, sequence=2),  # back-filled later, but older
        record("cd", spine.NDA_CDA, 5, sequence=3),
        record("cd", spine.CLOSED, 5, sequence=4),  # same day, recorded after
    ]
    assert spine.current_stages(records) == {"ab": spine.VERIFICATION, "cd": spine.CLOSED}


def test_funnel_counts_each_pair_up_to_its_furthest_stage():
    records = [
        # ab: follow-up → verification → joint R&D, then closed: reached joint R&D.
        record("ab", spine.FOLLOW_UP, 1),
        record("ab", spine.VERIFICATION, 2),
        record("ab", spine.JOINT_RND, 3),
        record("ab", spine.CLOSED, 4),
        # cd: straight to investment (skipping steps still counts them as passed).
        record("cd", spine.INVESTMENT, 2),
        # ef: clinical study, then licensing.
        record("ef", spine.CLINICAL, 2),
        record("ef", spine.LICENSING, 9),
        # gh: only a follow-up.
        record("gh", spine.FOLLOW_UP, 1),
        # ij: closed without anything before: on no step.
        record("ij", spine.CLOSED, 1),
    ]
    steps = dict(spine.funnel(records))
    assert steps == {
        (spine.FOLLOW_UP, spine.NDA_CDA): 4,
        (spine.VERIFICATION,): 3,
        (spine.JOINT_RND,): 3,
        (spine.INVESTMENT,): 2,
        (spine.NONCLINICAL, spine.CLINICAL): 1,
        (spine.LICENSING,): 1,
    }
    assert spine.furthest_ranks(records)["ij"] is None


def test_funnel_of_nothing_is_all_zero():
    assert [n for _step, n in spine.funnel([])] == [0] * len(spine.FUNNEL_STEPS)


def test_stages_and_steps_agree():
    on_steps = [stage for step in spine.FUNNEL_STEPS for stage in step]
    assert on_steps == list(spine.STAGES[:-1])
    assert spine.STAGES[-1] == spine.CLOSED
