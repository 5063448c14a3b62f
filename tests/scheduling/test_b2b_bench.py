"""Literature instances scheduled end to end, checked independently."""

import csv
import importlib.util
from pathlib import Path

import pytest

from bench import b2b_format
from kbio.scheduling import solver as S
from tests.scheduling.schedule_checker import assert_valid, check

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "b2b"


@pytest.mark.parametrize(
    ("name", "workers"),
    [
        ("tic-12.original", 1),
        ("tic-13crafb.original", 2),
        ("forumt-14crafd.original", 1),
    ],
)
def test_tight_instances_get_every_meeting_placed(name, workers):
    # Participants here have as many meetings as slots: a plain greedy drops some.
    problem = b2b_format.to_problem(b2b_format.read_dzn(BENCH / f"{name}.dzn"))
    result = S.schedule(problem, S.Options(effort=3, time_limit=20, workers=workers))
    checked = assert_valid(problem, result)
    assert checked.placed == len(problem.meetings)
    assert result.report.unplaced == []
    assert result.report.upper_bound == len(problem.meetings)


def test_bench_script_writes_schedules_the_checker_accepts(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("b2b_bench", ROOT / "bench" / "b2b.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = BENCH / "forum-13.original.dzn"
    assert bench.main([str(path), "--out", str(tmp_path), "--effort", "3", "--workers", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("forum-13.original placed=154/154 breaks=")
    assert lines[-1].startswith("total placed=154/154 breaks=")
    with open(tmp_path / "forum-13.original.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["meeting", "slot", "table"]
    placements = {int(m): (int(s), int(t)) for m, s, t in rows[1:]}
    assert sorted(placements) == list(range(1, 155))
    problem = b2b_format.to_problem(b2b_format.read_dzn(path))
    checked = check(problem, placements)
    assert checked.violations == []
    printed_breaks = int(lines[0].split("breaks=")[1].split()[0])
    printed_worst = int(lines[0].split("worst=")[1].split()[0])
    assert (checked.breaks, checked.worst) == (printed_breaks, printed_worst)


def _load(script: str):
    spec = importlib.util.spec_from_file_location(script, ROOT / "bench" / f"{script}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exact_bench_reads_the_proven_optima():
    optima = _load("b2b_exact")._optima()
    assert len(optima) == 20
    assert optima["ticf-13crafc"] == 1
    assert sum(optima.values()) == 36


def test_exact_bench_times_each_solver_on_an_instance(capsys):
    # tic-12 has a schedule without breaks: every solver finishes at once.
    exact = _load("b2b_exact")
    path = BENCH / "tic-12.original.dzn"
    assert exact.main([str(path), "--solvers", "rc2-cd15,kissat", "--orders", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" seconds=")[0] for line in lines] == [
        "tic-12.original rc2-cd15",
        "tic-12.original kissat",
    ]
    for line in lines:
        times = line.split(" seconds=")[1].split(",")
        assert len(times) == 2
        assert all(float(t) < 40 for t in times)
