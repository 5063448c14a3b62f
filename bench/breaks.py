"""Breaks at convention size: schedule instances that have a known zero-break schedule.

    python bench/breaks.py [--sizes small,3000,7500] [--seed N] [--effort E ...]
                           [--time-limit S] [--workers 1|2]

For each size of ``bench/zero_break.py`` (small = 300 participants, 3000 = 3,000 in one day
of 32 slots, 7500 = 7,500 in one day of 48 slots; 3000-2d and 7500-2d split 32 and 48 slots
over two days) and each effort, one line:
participants, meetings, slots, tables, placed/upper bound, breaks and breaks as a share of the
meetings, seconds, and the load average (1 minute) at start and end, because the machine may
be shared. Every meeting of these instances fits with zero breaks, so any break is the
solver's. Several ``--effort`` values sweep the effort: more should buy fewer breaks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.zero_break import SIZES, sized_instance  # noqa: E402
from kbio.scheduling.solver import Options, schedule  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,3000,7500", help=",".join(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--effort", type=float, nargs="+", default=[10.0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        instance = sized_instance(size, seed=args.seed)
        problem = instance.problem
        for effort in args.effort:
            options = Options(
                seed=args.seed, effort=effort, time_limit=args.time_limit, workers=args.workers
            )
            load_start = os.getloadavg()[0]
            clock = time.perf_counter()
            result = schedule(problem, options)
            seconds = time.perf_counter() - clock
            load_end = os.getloadavg()[0]
            report = result.report
            print(
                f"{size}: participants={len(problem.participants)} "
                f"meetings={len(problem.meetings)} slots={len(problem.slots)} "
                f"tables={problem.tables} effort={effort:g} "
                f"placed={report.placed}/{report.upper_bound} "
                f"breaks={report.breaks} ({report.breaks / len(problem.meetings):.1%}) "
                f"worst={report.worst_breaks} seconds={seconds:.1f} "
                f"load={load_start:.1f}->{load_end:.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
