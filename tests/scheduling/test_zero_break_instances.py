"""The bench's zero-break instances: the hidden schedule is a real proof, and the scheduler
places every meeting of a small one (how few breaks it leaves is the bench's job)."""

import pytest

from bench import zero_break
from kbio.scheduling import solver as S
from tests.scheduling.schedule_checker import assert_valid, check


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hidden_schedule_places_every_meeting_with_no_break(seed):
    instance = zero_break.zero_break_instance(300, days=2, slots_per_day=16, seed=seed)
    problem = instance.problem
    checked = check(problem, instance.hidden)
    assert checked.violations == []
    assert checked.placed == len(problem.meetings)
    assert checked.breaks == 0
    # What the bench promises: hosts with fixed tables, blocked slots, capacities above one.
    assert any(p.tables for p in problem.participants)
    assert any(p.blocked for p in problem.participants)
    assert any(p.capacity > 1 for p in problem.participants)
    assert len({frozenset((m.a, m.b)) for m in problem.meetings}) == len(problem.meetings)


def test_same_seed_same_instance_and_another_seed_another():
    first = zero_break.zero_break_instance(200, seed=5)
    again = zero_break.zero_break_instance(200, seed=5)
    other = zero_break.zero_break_instance(200, seed=6)
    assert first.problem == again.problem and first.hidden == again.hidden
    assert first.problem.meetings != other.problem.meetings


def test_one_day_of_many_slots_also_has_a_zero_break_schedule():
    instance = zero_break.zero_break_instance(400, days=1, slots_per_day=32, seed=3)
    checked = check(instance.problem, instance.hidden)
    assert checked.violations == [] and checked.breaks == 0


def test_scheduler_places_every_meeting_of_a_small_instance():
    problem = zero_break.zero_break_instance(300, seed=0).problem
    result = S.schedule(problem, S.Options(effort=1, time_limit=20))
    checked = assert_valid(problem, result)
    assert checked.placed == len(problem.meetings)


def test_more_effort_buys_fewer_breaks_on_an_event_above_the_exact_model_limit():
    problem = zero_break.zero_break_instance(300, seed=0).problem
    assert len(problem.meetings) * len(problem.slots) > S.Options().exact_model_limit
    low = S.schedule(problem, S.Options(effort=1, time_limit=30))
    high = S.schedule(problem, S.Options(effort=10, time_limit=30))
    assert_valid(problem, high)
    assert high.report.placed == low.report.placed == len(problem.meetings)
    assert high.report.breaks < low.report.breaks


def test_the_solver_tells_how_far_it_is_as_it_works():
    """The organizer's progress bar moves during the solve instead of jumping at the end."""
    instance = zero_break.zero_break_instance(300, days=2, slots_per_day=16, seed=0)
    shares = []
    result = S.schedule(instance.problem, S.Options(effort=2, progress=shares.append))
    assert result.report.placed == len(instance.problem.meetings)
    assert len(shares) >= 5
    assert shares == sorted(shares)
    assert 0 < shares[0] <= 0.1 and shares[-1] >= 0.95
