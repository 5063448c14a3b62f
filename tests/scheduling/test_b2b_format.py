"""Reading the literature benchmark's MiniZinc data files."""

from pathlib import Path

import pytest

from bench import b2b_format
from kbio.scheduling import solver as S

BENCH = Path(__file__).resolve().parents[2] / "bench" / "b2b"

SMALL = """
% a comment
nBusiness = 4;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,1,
|1, 3,2,
|3, 4,3, |];
meetingsxBusiness = [{1,2,3},{1,2},{1,3,4},{1,4}];
nMeetingsBusiness = [2,1,2,1];
forbidden = [{0},{0,4},{0},{1..2}];
fixed = [0,0,3];
precedences = [{},{},{}];
"""


def test_small_file_is_read_with_dummies_ignored():
    inst = b2b_format.parse_dzn(SMALL, name="small")
    assert inst.n_participants == 4
    assert inst.requested == ((1, 2, 1), (1, 3, 2), (3, 4, 3))
    assert inst.forbidden == (frozenset(), frozenset({4}), frozenset(), frozenset({1, 2}))
    assert inst.fixed == (0, 0, 3)
    # Recounted from `requested`, not from the padded meetingsxBusiness lists.
    assert inst.meetings_of(1) == [1, 2]
    assert inst.meetings_of(4) == [3]


def test_small_file_becomes_a_scheduler_problem():
    problem = b2b_format.to_problem(b2b_format.parse_dzn(SMALL))
    assert [s.session for s in problem.slots] == ["am", "am", "pm", "pm"]
    assert problem.tables == 2
    assert problem.meetings[0].sessions == frozenset({"am"})
    assert problem.meetings[1].sessions == frozenset({"pm"})
    assert problem.meetings[2].sessions is None
    assert problem.pinned == (S.Pinned(meeting=3, slot=3, table=1),)
    assert problem.participants[3].blocked == frozenset({1, 2})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SMALL.replace("nTables = 2;", ""), "missing nTables"),
        (SMALL.replace("|3, 4,3, |]", "|3, 9,3, |]"), "participant 9 is outside 1..4"),
        (SMALL.replace("nMeetings = 3", "nMeetings = 5"), "nMeetings = 5 but 3 rows"),
        (SMALL.replace("precedences = [{},{},{}]", "precedences = [{2},{},{}]"), "precedences"),
        (SMALL.replace("nTotalSlots = 4;", "nTotalSlots = 4"), "expected ';'"),
        (SMALL.replace("|1, 2,1,", "|1, 2,7,"), "unknown session code 7"),
    ],
)
def test_bad_files_are_refused_clearly(text, message):
    with pytest.raises(b2b_format.DznError, match=message):
        b2b_format.parse_dzn(text)


def test_the_twenty_benchmark_files_match_the_published_sizes():
    sizes = {}
    for path in sorted(BENCH.glob("*.dzn")):
        inst = b2b_format.read_dzn(path)
        sizes[inst.name] = (inst.n_participants, len(inst.requested), inst.n_slots, inst.n_tables)
    assert len(sizes) == 20
    assert sizes["forum-13.original"] == (70, 154, 21, 14)
    assert sizes["forum-14.original"] == (78, 302, 22, 22)
    assert sizes["tic-12crafc.original"] == (42, 125, 8, 16)
    assert sizes["ticf-13crafb.original"] == (76, 195, 22, 14)
