"""Schedule a generated convention-size event and print how well and how fast it went.

    python bench/bio_scale.py [--seed N] [--participants P] [--meetings M] [--tables K]

Defaults: 6,000 participants, 30,000 accepted meetings, 3 days x 16 slots, 800 tables (hosts
with fixed tables, ventures with 1 to ~20 meetings, blocked slots, two-delegate teams). The
targets are: done within 60 s, and at least 99 % of the upper bound placed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_event import generated_event  # noqa: E402
from kbio.scheduling import solver as scheduler  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--participants", type=int, default=6000)
    parser.add_argument("--meetings", type=int, default=30000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--slots-per-day", type=int, default=16)
    parser.add_argument("--tables", type=int, default=800)
    parser.add_argument("--time-limit", type=float, default=55.0)
    args = parser.parse_args(argv)

    clock = time.perf_counter()
    problem = generated_event(
        participants=args.participants,
        meetings=args.meetings,
        days=args.days,
        slots_per_day=args.slots_per_day,
        tables=args.tables,
        seed=args.seed,
    )
    generated = time.perf_counter() - clock
    hosts = sum(1 for p in problem.participants if p.tables)
    print(
        f"event: {len(problem.participants)} participants ({hosts} hosts with fixed tables), "
        f"{len(problem.meetings)} meetings, {len(problem.slots)} slots, "
        f"{problem.tables} tables (generated in {generated:.1f} s)"
    )
    clock = time.perf_counter()
    result = scheduler.schedule(
        problem, scheduler.Options(seed=args.seed, time_limit=args.time_limit)
    )
    seconds = time.perf_counter() - clock
    report = result.report
    reasons: dict[str, int] = {}
    for item in report.unplaced:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    busy = [f for f in report.participants.values() if f.placed]
    print(
        f"placed={report.placed} upper_bound={report.upper_bound} "
        f"ratio={report.placed / report.upper_bound:.4f} requested={report.requested}"
    )
    print(
        f"breaks={report.breaks} worst={report.worst_breaks} "
        f"mean_breaks={report.breaks / max(1, len(busy)):.3f} seconds={seconds:.1f}"
    )
    print("unplaced by reason: " + ", ".join(f"{k}={v}" for k, v in sorted(reasons.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
