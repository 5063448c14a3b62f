"""A generated partnering event of any size, for benchmarks and tests of the scheduler.

Shaped like a large partnering convention: a few hosts (pharma) with fixed tables and many
accepted requests (the most popular ones more than they can take), many ventures with one to
about twenty meetings, some organizations with two delegates, some blocked slots, a few
meetings restricted to one day, and a match score as priority. Pure Python, seeded.
"""

from __future__ import annotations

import bisect
import random

from kbio.scheduling.solver import Meeting, Participant, Problem, Slot


def generated_event(
    *,
    participants: int = 6000,
    meetings: int = 30000,
    days: int = 3,
    slots_per_day: int = 16,
    tables: int = 800,
    host_share: float = 0.05,
    seed: int = 0,
) -> Problem:
    """An event with the given sizes.

    About ``host_share`` of the participants are hosts with fixed tables (one, or two for the
    largest); they take part in about 45 % of the meetings. The defaults are the size of a
    large international convention: 6,000 participants, 30,000 accepted meetings, three days
    of sixteen slots and 800 tables.
    """
    rng = random.Random(seed)
    n_slots = days * slots_per_day
    half = slots_per_day // 2
    slots = tuple(
        Slot(id=d * slots_per_day + i + 1, day=f"day{d + 1}", session="am" if i < half else "pm")
        for d in range(days)
        for i in range(slots_per_day)
    )
    n_hosts = max(1, round(participants * host_share))
    n_ventures = participants - n_hosts
    if n_ventures < 2:
        raise ValueError("the event needs at least two ventures")

    # Hosts: two tables for about one in five, never more than a third of all tables.
    host_tables: list[int] = []
    table_budget = tables // 3
    for _ in range(n_hosts):
        k = 2 if rng.random() < 0.2 else 1
        if sum(host_tables) + k > table_budget:
            k = 1 if sum(host_tables) + 1 <= table_budget else 0
        host_tables.append(k)
    next_table = 1
    people: list[Participant] = []
    for h in range(n_hosts):
        own = tuple(range(next_table, next_table + host_tables[h]))
        next_table += host_tables[h]
        blocked = frozenset()
        if rng.random() < 0.1:
            start = rng.randrange(n_slots - 2)
            blocked = frozenset(s.id for s in slots[start : start + rng.randint(1, 3)])
        people.append(
            Participant(
                id=f"H{h + 1}",
                capacity=max(1, host_tables[h]),
                tables=own,
                blocked=blocked,
                name=f"Host {h + 1}",
            )
        )
    for v in range(n_ventures):
        blocked = frozenset()
        roll = rng.random()
        if roll < 0.15:
            # Away for part of one day.
            d = rng.randrange(days)
            start = d * slots_per_day + rng.randrange(slots_per_day - 3)
            blocked = frozenset(s.id for s in slots[start : start + rng.randint(2, 6)])
        elif roll < 0.2 and days > 1:
            # Only there for some of the days.
            away = set(rng.sample(range(days), k=rng.randint(1, days - 1)))
            blocked = frozenset(s.id for i, s in enumerate(slots) if i // slots_per_day in away)
        people.append(
            Participant(
                id=f"V{v + 1}",
                capacity=2 if rng.random() < 0.05 else 1,
                blocked=blocked,
                name=f"Venture {v + 1}",
            )
        )
    hosts, ventures = people[:n_hosts], people[n_hosts:]

    # How active each venture is: one to about twenty meetings, most a handful.
    weight = [min(20.0, rng.paretovariate(1.6)) for _ in ventures]
    popularity = [rng.paretovariate(1.3) for _ in hosts]
    n_host_meetings = round(meetings * 0.45)
    pairs: set[tuple[int, int]] = set()
    chosen: list[tuple[str, str]] = []
    pop_total = sum(popularity)
    quota = [max(1, round(n_host_meetings * p / pop_total)) for p in popularity]
    for h, q in enumerate(quota):
        cap_slots = max(1, host_tables[h]) * n_slots
        # The most popular hosts get up to 1.4 times what they can take.
        q = min(q, round(cap_slots * 1.4))
        for v in _weighted_sample(rng, weight, q):
            key = (h, n_hosts + v)
            if key not in pairs:
                pairs.add(key)
                chosen.append((hosts[h].id, ventures[v].id))
    target = meetings
    attempts = 0
    cumulative = _cumulative(weight)
    while len(chosen) < target and attempts < target * 20:
        attempts += 1
        a = _pick(rng, cumulative)
        b = _pick(rng, cumulative)
        if a == b:
            continue
        key = (n_hosts + min(a, b), n_hosts + max(a, b))
        if key in pairs:
            continue
        pairs.add(key)
        chosen.append((ventures[a].id, ventures[b].id))
    chosen = chosen[:target]
    rng.shuffle(chosen)
    result = []
    for i, (a, b) in enumerate(chosen, 1):
        sessions = None
        if rng.random() < 0.05:
            sessions = frozenset({f"day{rng.randrange(days) + 1}"})
        score = round(rng.betavariate(2.0, 2.0), 3)
        result.append(Meeting(id=i, a=a, b=b, priority=score, sessions=sessions))
    return Problem(slots=slots, tables=tables, participants=tuple(people), meetings=tuple(result))


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(len(cumulative) - 1, bisect.bisect_left(cumulative, rng.random() * cumulative[-1]))


def _weighted_sample(rng: random.Random, weights: list[float], k: int) -> list[int]:
    """About k distinct indices drawn with probability proportional to their weights."""
    cumulative = _cumulative(weights)
    k = min(k, len(weights))
    seen: set[int] = set()
    for _ in range(k * 20):
        if len(seen) >= k:
            break
        seen.add(_pick(rng, cumulative))
    return sorted(seen)
