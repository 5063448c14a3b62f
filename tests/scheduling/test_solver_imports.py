"""The solver stays plain Python: it imports no Django and nothing of the app outside itself, so
that it can be run, tested and benchmarked alone (and in a forked process) without settings."""

import ast
import subprocess
import sys
from pathlib import Path

import kbio.scheduling.solver as solver_package

SOLVER = Path(solver_package.__file__).parent
# What the solver may import besides the standard library and its own modules.
SOLVER_LIBRARIES = {"ortools", "pysat"}


def test_the_solver_schedules_in_a_process_without_django():
    program = """
import sys
from kbio.scheduling.solver import Meeting, Participant, Problem, Slot, schedule
problem = Problem(
    slots=[Slot(1), Slot(2)],
    participants=[Participant("a"), Participant("b"), Participant("c")],
    meetings=[Meeting("ab", "a", "b"), Meeting("ac", "a", "c")],
    tables=["t1"],
)
result = schedule(problem)
assert result.report.placed == 2, result.report
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(",".join(loaded) or "no django")
"""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no django"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_solver_imports_only_the_standard_library_and_its_solvers():
    modules = sorted(SOLVER.glob("*.py"))
    assert len(modules) > 5
    outside = {
        f"{path.name}: {name}"
        for path in modules
        for name in _imports(path)
        if name not in sys.stdlib_module_names and name not in SOLVER_LIBRARIES
    }
    assert outside == set()


def test_no_solver_module_is_over_400_lines():
    lengths = {path.name: len(path.read_text().splitlines()) for path in SOLVER.glob("*.py")}
    assert {name: n for name, n in lengths.items() if n > 400} == {}
