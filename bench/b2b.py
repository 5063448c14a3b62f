"""Schedule the B2B literature benchmark with the app's scheduler and print its figures.

    python bench/b2b.py [--out DIR] [--effort E] [--seed N] [--workers 1|2|auto] bench/b2b/*.dzn

One line per file, ``NAME placed=P/M breaks=B worst=W seconds=S`` (W = the worst
participant's breaks), then a total line. With ``--out DIR`` each schedule is also written to
``DIR/NAME.csv`` (``meeting,slot,table``: meeting = 1-based row of ``requested``, slot and
table 1-based). The proven optima of these instances are in ``bench/b2b/README.md``.
By default each file gets 28 s at most, and the break search uses two processes when the
machine has an idle core (one otherwise; the choice is printed on stderr).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import b2b_format
from kbio.scheduling import solver as scheduler  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="write NAME.csv schedules into this folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--effort", type=float, default=50.0, help="solver work budget")
    parser.add_argument("--time-limit", type=float, default=28.0, help="seconds per file, cap")
    parser.add_argument(
        "--workers",
        default="auto",
        help="processes for the break search: 1, 2, or auto (2 when a core is idle)",
    )
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    workers = _workers(args.workers)
    print(f"break search with {workers} worker(s)", file=sys.stderr)
    options = scheduler.Options(
        seed=args.seed, effort=args.effort, time_limit=args.time_limit, workers=workers
    )
    total_placed = total_meetings = total_breaks = 0
    started = time.perf_counter()
    for path in args.files:
        instance = b2b_format.read_dzn(path)
        clock = time.perf_counter()
        result = scheduler.schedule(b2b_format.to_problem(instance), options)
        seconds = time.perf_counter() - clock
        report = result.report
        total_placed += report.placed
        total_meetings += report.requested
        total_breaks += report.breaks
        print(
            f"{instance.name} placed={report.placed}/{report.requested} "
            f"breaks={report.breaks} worst={report.worst_breaks} seconds={seconds:.1f}",
            flush=True,
        )
        if args.out:
            with open(args.out / f"{instance.name}.csv", "w", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["meeting", "slot", "table"])
                for meeting, (slot, table) in sorted(result.placements.items()):
                    writer.writerow([meeting, slot, table])
    print(
        f"total placed={total_placed}/{total_meetings} breaks={total_breaks} "
        f"seconds={time.perf_counter() - started:.1f}"
    )
    return 0


def _workers(value: str) -> int:
    """Two processes only when the machine has a core to spare: on a shared machine that is
    already busy, a second process slows the whole-event solver more than it helps."""
    if value != "auto":
        return max(1, int(value))
    cores = os.cpu_count() or 1
    return 2 if cores >= 2 and os.getloadavg()[0] < cores - 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
