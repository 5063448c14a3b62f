"""The scheduler on hand-made events, each checked by the independent checker."""

import multiprocessing
import time
from pathlib import Path

import pytest

from bench import b2b_format
from bench.synthetic_event import generated_event
from kbio.scheduling import solver as S
from tests.scheduling.schedule_checker import assert_valid

QUICK = S.Options(effort=3, time_limit=20)
BENCH = Path(__file__).resolve().parents[2] / "bench" / "b2b"


def slots(n, day=1, session=None):
    return tuple(S.Slot(id=i, day=day, session=session) for i in range(1, n + 1))


def people(*ids, **extra):
    return tuple(S.Participant(id=i, **extra) for i in ids)


def test_every_meeting_placed_without_breaks_when_possible():
    # A meets four partners; B and C also meet each other. Six slots are plenty.
    problem = S.Problem(
        slots=slots(6),
        tables=2,
        participants=people("A", "B", "C", "D", "E"),
        meetings=(
            S.Meeting(1, "A", "B"),
            S.Meeting(2, "A", "C"),
            S.Meeting(3, "A", "D"),
            S.Meeting(4, "A", "E"),
            S.Meeting(5, "B", "C"),
        ),
    )
    result = S.schedule(problem, QUICK)
    checked = assert_valid(problem, result)
    assert checked.placed == 5
    assert result.report.breaks == 0
    assert result.report.unplaced == []


def test_capacity_two_holds_two_meetings_in_one_slot():
    # Team T sends two delegates: six meetings fit in three slots only two at a time.
    problem = S.Problem(
        slots=slots(3),
        tables=6,
        participants=(S.Participant("T", capacity=2), *people(*"abcdef")),
        meetings=tuple(S.Meeting(i, "T", x) for i, x in enumerate("abcdef", 1)),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.placed == 6
    per_slot = {}
    for slot, _table in result.placements.values():
        per_slot[slot] = per_slot.get(slot, 0) + 1
    assert sorted(per_slot.values()) == [2, 2, 2]


def test_capacity_one_never_doubles_up():
    problem = S.Problem(
        slots=slots(2),
        tables=6,
        participants=people("T", *"abc"),
        meetings=tuple(S.Meeting(i, "T", x) for i, x in enumerate("abc", 1)),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.placed == 2
    (left,) = result.report.unplaced
    assert left.reason == S.OVERBOOKED
    assert left.participant == "T"
    assert left.params == {"meetings": 3, "free": 2}


def test_host_meets_only_at_its_fixed_tables():
    problem = S.Problem(
        slots=slots(4),
        tables=("H1", "H2", "P1", "P2", "S1"),
        participants=(
            S.Participant("Pharma", tables=("P1", "P2"), capacity=2),
            S.Participant("Host", tables=("H1",)),
            S.Participant("H2owner", tables=("H2",)),
            *people(*"abcdefgh"),
        ),
        meetings=(
            *(S.Meeting(f"p{x}", "Pharma", x) for x in "abcdefg"),
            *(S.Meeting(f"h{x}", "Host", x) for x in "abc"),
            S.Meeting("hh", "Host", "H2owner"),
            S.Meeting("gh", "g", "h"),
        ),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.placed == 12
    for mid, (_slot, table) in result.placements.items():
        if str(mid).startswith("p"):
            assert table in ("P1", "P2")
        elif mid == "hh":
            assert table in ("H1", "H2")
        elif str(mid).startswith("h"):
            assert table == "H1"
        else:
            assert table == "S1"


def test_blocked_slots_and_sessions_are_respected():
    problem = S.Problem(
        slots=(
            S.Slot(1, day="d1", session="am"),
            S.Slot(2, day="d1", session="pm"),
            S.Slot(3, day="d2", session="am"),
            S.Slot(4, day="d2", session="pm"),
        ),
        tables=4,
        participants=(
            S.Participant("A", blocked=frozenset({1, 2})),
            S.Participant("B", blocked=frozenset({3, 4})),
            *people("C", "D"),
        ),
        meetings=(
            S.Meeting("ac", "A", "C"),
            S.Meeting("bc", "B", "C", sessions=frozenset({"pm"})),
            S.Meeting("ab", "A", "B"),
            S.Meeting("cd", "C", "D", sessions=frozenset({"d2"})),
        ),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.placements["ac"][0] in (3, 4)
    assert result.placements["bc"][0] == 2
    assert result.placements["cd"][0] in (3, 4)
    (left,) = result.report.unplaced
    assert left.meeting == "ab"
    assert left.reason == S.NEVER_BOTH_FREE


def test_pinned_meetings_keep_slot_and_table():
    problem = S.Problem(
        slots=slots(4),
        tables=3,
        participants=people(*"ABCD"),
        meetings=tuple(S.Meeting(f"{x}{y}", x, y) for x, y in ("AB", "AC", "AD", "BC", "BD", "CD")),
        pinned=(S.Pinned("AB", slot=4, table=3), S.Pinned("CD", slot=1, table=2)),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.placements["AB"] == (4, 3)
    assert result.placements["CD"] == (1, 2)
    assert result.report.placed == 6


def test_published_meeting_in_a_slot_blocked_later_stays_with_a_note():
    problem = S.Problem(
        slots=slots(3),
        tables=2,
        participants=(S.Participant("A", blocked=frozenset({2})), *people("B", "C")),
        meetings=(S.Meeting("AB", "A", "B"), S.Meeting("AC", "A", "C")),
        pinned=(S.Pinned("AB", slot=2, table=1),),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.placements["AB"] == (2, 1)
    assert result.placements["AC"][0] in (1, 3)
    assert S.Note(S.PINNED_IN_BLOCKED_SLOT, {"meeting": "AB", "slot": 2, "participant": "A"}) in (
        result.report.notes
    )


def test_a_pair_free_together_only_outside_its_sessions_is_told_apart():
    problem = S.Problem(
        slots=(*slots(2, session="am"), S.Slot(3, session="pm"), S.Slot(4, session="pm")),
        tables=2,
        participants=(S.Participant("A", blocked=frozenset({3, 4})), *people("B")),
        meetings=(S.Meeting("AB", "A", "B", sessions=frozenset({"pm"})),),
    )
    result = S.schedule(problem, QUICK)
    (left,) = result.report.unplaced
    assert left.reason == S.NOT_FREE_IN_SESSIONS


def test_the_break_search_stops_when_its_budget_is_spent():
    # forum-13crafb takes the whole-event MaxSAT solver 10 s to 40 s to prove; one unit of
    # effort is about one second of it, and the run still returns a full schedule.
    problem = b2b_format.to_problem(b2b_format.read_dzn(BENCH / "forum-13crafb.original.dzn"))
    started = time.perf_counter()
    result = S.schedule(problem, S.Options(effort=2, time_limit=60))
    assert time.perf_counter() - started < 20
    assert_valid(problem, result)
    assert result.report.placed == len(problem.meetings)


def _schedule_in_daemon(path, answers):
    problem = b2b_format.to_problem(b2b_format.read_dzn(path))
    result = S.schedule(problem, S.Options(effort=2, time_limit=60))
    answers.put((result.report.placed, len(problem.meetings), result.report.breaks))


def test_the_break_search_runs_inside_a_daemonic_process():
    """A background-job worker runs jobs in daemonic pool processes, which multiprocessing
    forbids to start children; the break search's solver process must start there anyway."""
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    process = context.Process(
        target=_schedule_in_daemon,
        args=(BENCH / "forum-13crafb.original.dzn", answers),
        daemon=True,
    )
    process.start()
    placed, meetings, _breaks = answers.get(timeout=60)
    process.join(10)
    assert process.exitcode == 0
    assert placed == meetings


def test_clashing_pinned_meetings_are_refused_with_a_clear_error():
    problem = S.Problem(
        slots=slots(2),
        tables=2,
        participants=people(*"ABCD"),
        meetings=(S.Meeting("AB", "A", "B"), S.Meeting("CD", "C", "D")),
        pinned=(S.Pinned("AB", 1, 1), S.Pinned("CD", 1, 1)),
    )
    with pytest.raises(S.SchedulingInputError, match="share table 1 in slot 1"):
        S.schedule(problem, QUICK)


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (
            S.Problem(slots(1), 1, people("A"), (S.Meeting(1, "A", "Z"),)),
            "unknown participant 'Z'",
        ),
        (
            S.Problem(slots(1), 1, (S.Participant("A", blocked=frozenset({9})),), ()),
            "blocked slot 9 does not exist",
        ),
        (S.Problem(slots(1), 1, people("A", "A"), ()), "participant id 'A' appears twice"),
        (
            S.Problem(slots(1), 1, (S.Participant("A", tables=(7,)),), ()),
            "table 7 does not exist",
        ),
    ],
)
def test_inconsistent_input_is_refused(problem, message):
    with pytest.raises(S.SchedulingInputError, match=message):
        S.schedule(problem, QUICK)


def test_oversubscribed_host_keeps_its_highest_priority_meetings():
    # One table, four slots, six requests: the two lowest scores are left out, with the reason.
    scores = {"a": 0.9, "b": 0.2, "c": 0.8, "d": 0.7, "e": 0.1, "f": 0.6}
    problem = S.Problem(
        slots=slots(4),
        tables=("H",),
        participants=(S.Participant("Host", tables=("H",)), *people(*scores)),
        meetings=tuple(S.Meeting(x, "Host", x, priority=s) for x, s in scores.items()),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert set(result.placements) == {"a", "c", "d", "f"}
    assert result.report.upper_bound == 4
    reasons = {u.meeting: (u.reason, u.participant) for u in result.report.unplaced}
    assert reasons == {"b": (S.OVERBOOKED, "Host"), "e": (S.OVERBOOKED, "Host")}


def test_equal_priorities_are_spread_over_participants():
    # The host can take two of A, B, C. A also meets D, so B and C should get the host.
    problem = S.Problem(
        slots=slots(2),
        tables=("H", "S"),
        participants=(S.Participant("Host", tables=("H",)), *people(*"ABCD")),
        meetings=(
            S.Meeting("HA", "Host", "A"),
            S.Meeting("HB", "Host", "B"),
            S.Meeting("HC", "Host", "C"),
            S.Meeting("AD", "A", "D"),
        ),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert set(result.placements) == {"HB", "HC", "AD"}
    figures = result.report.participants
    assert all(figures[x].placed == 1 for x in "ABC")


def test_no_table_free_is_reported():
    problem = S.Problem(
        slots=slots(1),
        tables=1,
        participants=people(*"ABCD"),
        meetings=(S.Meeting("AB", "A", "B", priority=1), S.Meeting("CD", "C", "D")),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert set(result.placements) == {"AB"}
    (left,) = result.report.unplaced
    assert left.reason == S.NO_TABLE_FREE
    assert result.report.upper_bound == 1


def test_breaks_are_counted_within_a_day_only():
    # A meets B on the first day and C on the second: no break between days.
    problem = S.Problem(
        slots=(*slots(3, day="d1"), *(S.Slot(i, day="d2") for i in (4, 5, 6))),
        tables=2,
        participants=people(*"ABC"),
        meetings=(
            S.Meeting("AB", "A", "B", sessions=frozenset({"d1"})),
            S.Meeting("AC", "A", "C", sessions=frozenset({"d2"})),
        ),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.placed == 2
    assert result.report.breaks == 0


def test_unavoidable_break_is_counted_and_kept_fair():
    # A must meet B in slot 1 and C in slot 3 (blocked slots): one break, the fewest possible.
    problem = S.Problem(
        slots=slots(3),
        tables=2,
        participants=(
            S.Participant("A"),
            S.Participant("B", blocked=frozenset({2, 3})),
            S.Participant("C", blocked=frozenset({1, 2})),
        ),
        meetings=(S.Meeting("AB", "A", "B"), S.Meeting("AC", "A", "C")),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.breaks == 1
    assert result.report.participants["A"].breaks == 1
    assert result.report.breaks_lower_bound == 1


def test_generated_event_is_valid_and_within_its_upper_bound():
    problem = generated_event(
        participants=240, meetings=900, days=2, slots_per_day=8, tables=80, seed=3
    )
    result = S.schedule(problem, S.Options(effort=2, time_limit=20, exact_model_limit=0))
    checked = assert_valid(problem, result)
    report = result.report
    assert report.upper_bound < report.requested  # the generator over-subscribes hosts
    assert report.placed >= 0.98 * report.upper_bound
    assert checked.placed == report.placed
    assert {u.reason for u in report.unplaced} <= {
        S.NEVER_BOTH_FREE,
        S.OVERBOOKED,
        S.NO_COMMON_SLOT_LEFT,
        S.NO_TABLE_FREE,
    }


def test_same_seed_gives_the_same_schedule_on_the_large_event_path():
    # The MaxSAT break search of small and medium events is budgeted in seconds, so only the
    # path of large events (greedy, chains, local search: budgets counted in work) repeats
    # itself exactly.
    problem = generated_event(
        participants=120, meetings=400, days=2, slots_per_day=6, tables=30, seed=5
    )
    options = S.Options(seed=7, effort=1, time_limit=30, exact_model_limit=0)
    first = S.schedule(problem, options)
    second = S.schedule(problem, options)
    assert first.placements == second.placements
    assert first.report.breaks == second.report.breaks
    assert_valid(problem, first)


def test_exact_placement_proves_the_most_possible_when_the_bound_is_loose():
    # Three people who all want to meet each other, in two slots: only two of the three
    # meetings fit (a triangle needs three slots); the flow bound says three.
    problem = S.Problem(
        slots=slots(2),
        tables=3,
        participants=people(*"ABC"),
        meetings=(S.Meeting("AB", "A", "B"), S.Meeting("BC", "B", "C"), S.Meeting("AC", "A", "C")),
    )
    result = S.schedule(problem, QUICK)
    assert_valid(problem, result)
    assert result.report.placed == 2
    assert result.report.upper_bound == 2
    assert S.Note(S.PLACED_PROVEN_MOST) in result.report.notes
    (left,) = result.report.unplaced
    assert left.reason == S.NO_COMMON_SLOT_LEFT
