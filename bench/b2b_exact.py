"""How long the exact solvers take on the whole-event break problem of literature instances.

    python bench/b2b_exact.py [--solvers rc2-cd15,rc2-cd19,kissat] [--orders N] [--limit S]
                              bench/b2b/ticf-13crafc.original.dzn ...

The scheduler's one-worker break search has about 28 s per literature file, and most of it
goes to one whole-event MaxSAT solve (RC2 over CaDiCaL 1.5). This bench times that solve, and
the alternatives, on the formula the scheduler builds (its greedy schedule's meetings, the
fairness cap as a hard limit), each in a process of its own, one at a time:

- ``rc2-cd15``, ``rc2-cd19``, ``rc2-cd30``: RC2 over CaDiCaL 1.5, 1.9 or 3.0, to the proven
  fewest breaks;
- ``kissat``: Kissat asked only for a schedule with at most the proven optimum's breaks (read
  from ``bench/b2b/README.md``), that is the last, satisfiable call of a MaxSAT search given
  the lower bound for free.

``--orders N`` repeats each run with the hard clauses in N seeded random orders (order 0 is
the scheduler's own), which shows how heavy-tailed the run times are. One line per file and
solver: the seconds of each run, ``>S`` for a run stopped at the limit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import b2b_format  # noqa: E402
from kbio.scheduling.solver import Options, schedule  # noqa: E402
from kbio.scheduling.solver.compiled import Compiled  # noqa: E402
from kbio.scheduling.solver.maxsat_model import encode_breaks  # noqa: E402
from kbio.scheduling.solver.state import State  # noqa: E402

README = Path(__file__).resolve().parent / "b2b" / "README.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--solvers", default="rc2-cd15,rc2-cd19,kissat")
    parser.add_argument("--orders", type=int, default=1, help="clause orders per solver")
    parser.add_argument("--limit", type=float, default=40.0, help="seconds per run")
    args = parser.parse_args(argv)
    optima = _optima()
    for path in args.files:
        instance = b2b_format.read_dzn(path)
        wcnf = _formula(b2b_format.to_problem(instance))
        bound = optima.get(instance.name.removesuffix(".original"))
        for name in args.solvers.split(","):
            if bound is None and not name.startswith("rc2-"):
                print(f"{instance.name} {name} skipped: no proven optimum in {README.name}")
                continue
            times = []
            for order in range(args.orders):
                clauses = list(wcnf.hard)
                if order:
                    random.Random(order).shuffle(clauses)
                seconds = _timed(name, clauses, wcnf, bound, args.limit)
                times.append(f">{args.limit:.0f}" if seconds is None else f"{seconds:.1f}")
            print(f"{instance.name} {name} seconds={','.join(times)}", flush=True)
    return 0


def _optima() -> dict[str, int]:
    rows = re.findall(r"^\| ([a-z0-9-]+) \|.*\| (\d+) \|$", README.read_text(), re.M)
    return {name: int(optimum) for name, optimum in rows}


def _formula(problem):
    """The whole-event MaxSAT formula of the scheduler's greedy schedule (no break search)."""
    options = Options(effort=0.0, time_limit=28.0, workers=1)
    result = schedule(problem, options)
    ev = Compiled(problem)
    st = State(ev)
    index = {mid: j for j, mid in enumerate(ev.meeting_ids)}
    slot_index = {sid: t for t, sid in enumerate(ev.slot_ids)}
    for mid, (slot, _table) in result.placements.items():
        st.place(index[mid], slot_index[slot])
    fair = options.fair_breaks
    wcnf, _x, _placed = encode_breaks(ev, st, fair, True, None)
    return wcnf


def _timed(name: str, clauses, wcnf, bound: int | None, limit: float) -> float | None:
    child = multiprocessing.get_context("fork").Process(
        target=_solve, args=(name, clauses, wcnf, bound)
    )
    started = time.perf_counter()
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    if child.exitcode != 0:
        raise RuntimeError(f"{name} failed or missed the proven optimum (exit {child.exitcode})")
    return time.perf_counter() - started


def _solve(name: str, clauses, wcnf, bound: int | None) -> None:
    from pysat.card import CardEnc, EncType
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF
    from pysat.solvers import Solver

    if name.startswith("rc2-"):
        formula = WCNF()
        formula.hard = clauses
        formula.soft = wcnf.soft
        formula.wght = wcnf.wght
        formula.topw = wcnf.topw
        formula.nv = wcnf.nv
        # The scheduler's RC2 settings (kbio/scheduling/solver/maxsat_search.py).
        with RC2(formula, solver=name[4:], adapt=True, exhaust=True, minz=True, trim=5) as rc2:
            found = rc2.compute() is not None and (bound is None or rc2.cost == bound)
    else:
        breaks = [-clause[0] for clause in wcnf.soft]
        cnf = CardEnc.atmost(breaks, bound, top_id=wcnf.nv, encoding=EncType.kmtotalizer)
        with Solver(name=name, bootstrap_with=clauses + cnf.clauses) as solver:
            found = solver.solve()
    # An answer that disagrees with the proven optimum means the formula is wrong: no time.
    if not found:
        raise SystemExit(2)


if __name__ == "__main__":
    raise SystemExit(main())
