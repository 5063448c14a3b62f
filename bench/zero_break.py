"""Convention-size scheduling instances with a known schedule that has zero breaks.

    python bench/zero_break.py [--participants P] [--days D] [--slots-per-day S] [--seed N]
                               [--run-mean R]

prints the instance's figures and checks its hidden schedule (the proof that every meeting
fits with no break). The instance is built backwards: first a schedule in which every
participant's meetings of a day are back to back (one run of consecutive slots, one or more
meetings per slot up to its capacity), with every meeting paired and seated consistently;
then the schedule is hidden, and the instance is only the meetings (shuffled, renamed),
the participants (capacity, fixed host tables, blocked slots that never touch the hidden
schedule), the slots and the tables. The same seed gives the same instance.

A break is counted as in the scheduler and its report: each group of idle slots between two
consecutive meetings of one participant on one day.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kbio.scheduling.solver import Meeting, Participant, Problem, Slot  # noqa: E402


@dataclass
class Instance:
    problem: Problem
    # The hidden zero-break schedule: meeting id -> (slot id, table id).
    hidden: dict
    hosts: int
    host_tables: int
    shared_tables: int


# Shapes: (participants, days, slots per day, mean length of a non-host's run). "3000" and
# "7500" are one long day, near the figures (8,823 meetings at 3,000 participants and
# 32 slots; 27,237 at ~7,400, 48 slots, 800 tables); the "-2d" ones split the slots over two
# days, which leaves each participant less room to scatter its meetings.
SIZES = {
    "small": (300, 1, 32, 4.0),
    "3000": (3000, 1, 32, 4.0),
    "7500": (7500, 1, 48, 5.0),
    "3000-2d": (3000, 2, 16, 4.0),
    "7500-2d": (7500, 2, 24, 4.5),
}


def zero_break_instance(
    participants: int = 3000,
    days: int = 1,
    slots_per_day: int = 32,
    seed: int = 0,
    host_share: float = 0.08,
    two_delegates: float = 0.06,
    blocked_share: float = 0.3,
    run_mean: float | None = None,
) -> Instance:
    """Generate an instance whose hidden schedule places every meeting with zero breaks.

    ``run_mean`` is the mean length of a non-host's day of back-to-back meetings (default a
    quarter of the day); hosts meet through half to all of each day they attend.
    """
    run_mean = run_mean or slots_per_day / 4
    # A small instance can leave a slot whose seats cannot be paired (say a host and the one
    # participant it met already): draw again from the next random stream, deterministically.
    for attempt in range(20):
        try:
            return _generate(
                participants,
                days,
                slots_per_day,
                random.Random(f"{seed}/{attempt}" if attempt else seed),
                host_share,
                two_delegates,
                blocked_share,
                run_mean,
            )
        except _Unpairable:
            continue
    raise ValueError("no zero-break schedule found for these parameters")


class _Unpairable(Exception):
    pass


def _generate(
    participants, days, slots_per_day, rng, host_share, two_delegates, blocked_share, run_mean
) -> Instance:
    n_slots = days * slots_per_day
    people = [f"p{i:05d}" for i in range(participants)]
    rng.shuffle(people)
    n_hosts = max(1, int(participants * host_share))
    hosts = set(people[:n_hosts])
    # Capacity: hosts have one or two fixed tables (and as many delegates); a few other teams
    # send two delegates.
    capacity = {}
    for p in people:
        if p in hosts:
            capacity[p] = 2 if rng.random() < 0.3 else 1
        else:
            capacity[p] = 2 if rng.random() < two_delegates else 1

    # 1. Runs: per participant and day, one interval of consecutive slots (or none), and how
    #    many meetings it holds in each of those slots (1 up to its capacity).
    busy: dict[str, dict[int, int]] = {p: {} for p in people}
    others = [p for p in people if p not in hosts]
    for p in others:
        present = [d for d in range(days) if rng.random() < 0.6] or [rng.randrange(days)]
        for d in present:
            # Mostly short days (a few meetings), some long ones.
            length = min(slots_per_day, 1 + int(rng.expovariate(1 / (run_mean - 0.5))))
            start = d * slots_per_day + rng.randint(0, slots_per_day - length)
            for s in range(start, start + length):
                busy[p][s] = rng.randint(1, capacity[p])
    # Hosts meet through half to all of a day, as long as the other participants can fill
    # their tables: host seats stay under 60 % of the others' seats in every slot.
    room = [0.6 * sum(busy[p].get(s, 0) for p in others) for s in range(n_slots)]
    for p in people:
        if p not in hosts:
            continue
        for d in range(days):
            if rng.random() >= 0.9:
                continue
            for _ in range(10):
                length = rng.randint(slots_per_day // 2, slots_per_day)
                start = d * slots_per_day + rng.randint(0, slots_per_day - length)
                run = range(start, start + length)
                if all(room[s] >= capacity[p] for s in run):
                    for s in run:
                        busy[p][s] = capacity[p]
                        room[s] -= capacity[p]
                    break

    # 2. Per slot, make the seats even by moving one run's edge (never opening a gap), then
    #    pair the seats: each host seat with a non-host, the other non-hosts among themselves.
    hidden_pairs: list[tuple[str, str, int]] = []
    met: set[frozenset] = set()
    for s in range(n_slots):
        seats = sum(b.get(s, 0) for b in busy.values())
        if seats % 2:
            _fix_parity(busy, people, hosts, capacity, s, slots_per_day, rng)
        host_seats = [p for p in people if p in hosts for _ in range(busy[p].get(s, 0))]
        other_seats = [p for p in people if p not in hosts for _ in range(busy[p].get(s, 0))]
        if len(other_seats) < len(host_seats):
            raise _Unpairable
        assert (len(host_seats) + len(other_seats)) % 2 == 0
        pairs = _pair(host_seats, other_seats, met, rng)
        for a, b in pairs:
            met.add(frozenset((a, b)))
            hidden_pairs.append((a, b, s))

    # 3. Tables: each host's own (one per delegate), then shared tables, as many as the
    #    busiest slot needs.
    host_table_ids = {}
    next_table = 1
    for p in sorted(hosts):
        host_table_ids[p] = tuple(range(next_table, next_table + capacity[p]))
        next_table += capacity[p]
    shared_start = next_table
    per_slot: dict[int, int] = defaultdict(int)
    host_lane: dict[tuple, int] = defaultdict(int)
    rng.shuffle(hidden_pairs)
    meetings = []
    hidden = {}
    for i, (a, b, s) in enumerate(hidden_pairs):
        if rng.random() < 0.5:
            a, b = b, a
        mid = i + 1
        host = a if a in hosts else b if b in hosts else None
        if host is not None:
            table = host_table_ids[host][host_lane[host, s]]
            host_lane[host, s] += 1
        else:
            table = shared_start + per_slot[s]
            per_slot[s] += 1
        meetings.append(Meeting(id=mid, a=a, b=b))
        hidden[mid] = (s, table)
    shared = max(per_slot.values(), default=0)
    n_tables = shared_start - 1 + shared

    # 4. Blocked slots, never in a slot of the hidden schedule: some participants are away for
    #    part of a day they attend, or for whole days.
    plist = []
    for p in sorted(people):
        blocked = set()
        if rng.random() < blocked_share:
            free = [s for s in range(n_slots) if s not in busy[p]]
            if free and rng.random() < 0.5:
                # A stretch of free slots.
                s0 = rng.choice(free)
                length = rng.randint(1, slots_per_day // 2)
                blocked = {s for s in range(s0, min(n_slots, s0 + length)) if s in free}
            elif free:
                blocked = set(rng.sample(free, min(len(free), rng.randint(1, 4))))
        plist.append(
            Participant(
                id=p,
                capacity=capacity[p],
                blocked=frozenset(blocked),
                tables=host_table_ids.get(p, ()),
            )
        )
    slots = [Slot(id=s, day=s // slots_per_day + 1) for s in range(n_slots)]
    problem = Problem(slots=slots, tables=n_tables, participants=plist, meetings=meetings)
    return Instance(
        problem=problem,
        hidden=hidden,
        hosts=len(hosts),
        host_tables=shared_start - 1,
        shared_tables=shared,
    )


def sized_instance(size: str, seed: int = 0) -> Instance:
    participants, days, per_day, run_mean = SIZES[size]
    return zero_break_instance(participants, days, per_day, seed=seed, run_mean=run_mean)


def _fix_parity(busy, people, hosts, capacity, s, per_day, rng) -> None:
    """Change one seat in slot ``s`` without opening a gap in anyone's day."""
    order = people[:]
    rng.shuffle(order)
    day_start = s - s % per_day
    for p in order:
        if p in hosts:
            continue
        n = busy[p].get(s, 0)
        # A second delegate in this slot, or one fewer.
        if capacity[p] == 2 and n == 2:
            busy[p][s] = 1
            return
        if capacity[p] == 2 and n == 1:
            busy[p][s] = 2
            return
        # Extend a run that ended just before this slot (same day, not yet paired beyond s).
        if n == 0 and s > day_start and busy[p].get(s - 1) and not busy[p].get(s + 1):
            busy[p][s] = 1
            return
    for p in order:
        if p in hosts or busy[p].get(s, 0) > 1:
            continue
        first = s == day_start or not busy[p].get(s - 1)
        # Start a run one slot earlier, or one slot later (the run loses its first meeting).
        if first and busy[p].get(s + 1) and (s + 1) % per_day:
            busy[p][s] = 1 - busy[p].get(s, 0)
            if not busy[p][s]:
                del busy[p][s]
            return
    raise _Unpairable


def _pair(host_seats, other_seats, met, rng, tries: int = 50) -> list[tuple[str, str]]:
    """Pair every seat of one slot: no one with itself, no pair that already met."""
    for _ in range(tries):
        rng.shuffle(other_seats)
        pairs = list(zip(host_seats, other_seats, strict=False))
        rest = other_seats[len(host_seats) :]
        pairs += list(zip(rest[0::2], rest[1::2], strict=True))
        # Repair the few bad pairs by swapping partners with random other pairs.
        bad = _bad(pairs, met)
        for _ in range(20 * len(bad) + 20):
            bad = _bad(pairs, met)
            if not bad:
                return pairs
            i = rng.choice(bad)
            j = rng.randrange(len(pairs))
            (a, b), (c, d) = pairs[i], pairs[j]
            # Keep hosts in the first position: swap the second members only.
            pairs[i], pairs[j] = (a, d), (c, b)
    raise _Unpairable


def _bad(pairs, met) -> list[int]:
    """Pairs of one person with itself, pairs that met already, and repeats within the slot."""
    seen: set[frozenset] = set()
    bad = []
    for i, (a, b) in enumerate(pairs):
        key = frozenset((a, b))
        if a == b or key in met or key in seen:
            bad.append(i)
        seen.add(key)
    return bad


def check_hidden(instance: Instance):
    """Check the hidden schedule with the tests' independent checker (needs the repository)."""
    from tests.scheduling.schedule_checker import check

    return check(instance.problem, instance.hidden)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--slots-per-day", type=int, default=32)
    parser.add_argument("--run-mean", type=float, help="a non-host's mean meetings a day")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    inst = zero_break_instance(
        args.participants, args.days, args.slots_per_day, args.seed, run_mean=args.run_mean
    )
    checked = check_hidden(inst)
    p = inst.problem
    print(
        f"participants={len(p.participants)} hosts={inst.hosts} meetings={len(p.meetings)} "
        f"slots={len(p.slots)} tables={p.tables} (host {inst.host_tables}, "
        f"shared {inst.shared_tables})"
    )
    print(
        f"hidden schedule: placed={checked.placed} breaks={checked.breaks} "
        f"violations={len(checked.violations)}"
    )
    return 0 if not checked.violations and checked.breaks == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
