"""An independent checker for schedules: it recomputes every hard rule and the breaks.

Written apart from the scheduler on purpose (it shares only the input dataclasses), so a bug
in the scheduler's own bookkeeping cannot hide here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass
class Checked:
    violations: list[str]
    placed: int
    breaks: int
    worst: int
    breaks_by_participant: dict


def table_ids(problem) -> list:
    if isinstance(problem.tables, int):
        return list(range(1, problem.tables + 1))
    return list(problem.tables)


def check(problem, placements: dict) -> Checked:
    """Check ``placements`` (meeting id -> (slot id, table id)) against ``problem``."""
    problems: list[str] = []
    slot_pos = {s.id: i for i, s in enumerate(problem.slots)}
    slot_day = {s.id: s.day for s in problem.slots}
    slot_session = {s.id: s.session for s in problem.slots}
    tables = set(table_ids(problem))
    people = {p.id: p for p in problem.participants}
    meetings = {m.id: m for m in problem.meetings}
    pinned = {pin.meeting: (pin.slot, pin.table) for pin in problem.pinned}
    owner = {}
    for p in problem.participants:
        for table in p.tables:
            owner[table] = p.id

    seats: dict[tuple, list] = defaultdict(list)
    load: dict[tuple, int] = defaultdict(int)
    busy: dict = defaultdict(set)
    for mid, (slot, table) in placements.items():
        if mid not in meetings:
            problems.append(f"unknown meeting {mid!r}")
            continue
        m = meetings[mid]
        if slot not in slot_pos:
            problems.append(f"meeting {mid!r}: unknown slot {slot!r}")
            continue
        if table not in tables:
            problems.append(f"meeting {mid!r}: unknown table {table!r}")
            continue
        seats[slot, table].append(mid)
        hosts = [people[x] for x in (m.a, m.b) if people[x].tables]
        if hosts and not any(table in h.tables for h in hosts):
            problems.append(f"meeting {mid!r} is not at its host's fixed table")
        if not hosts and table in owner:
            problems.append(f"meeting {mid!r} uses the fixed table of {owner[table]!r}")
        for x in (m.a, m.b):
            load[x, slot] += 1
            busy[x].add(slot)
        if mid in pinned:
            if pinned[mid] != (slot, table):
                problems.append(f"pinned meeting {mid!r} moved to {(slot, table)}")
            continue
        for x in (m.a, m.b):
            if slot in people[x].blocked:
                problems.append(f"meeting {mid!r} in slot {slot!r} blocked by {x!r}")
        if m.sessions is not None and not (
            slot_session[slot] in m.sessions or slot_day[slot] in m.sessions
        ):
            problems.append(f"meeting {mid!r} outside its sessions in slot {slot!r}")
    for mid in pinned:
        if mid not in placements:
            problems.append(f"pinned meeting {mid!r} was dropped")
    for (slot, table), mids in seats.items():
        if len(mids) > 1:
            problems.append(f"table {table!r} holds {sorted(mids)} in slot {slot!r}")
    for (x, slot), n in load.items():
        p = people[x]
        limit = p.capacity if not p.tables else min(p.capacity, len(p.tables))
        if n > limit:
            problems.append(f"{x!r} has {n} meetings in slot {slot!r} (limit {limit})")

    by_participant = {}
    for p in problem.participants:
        by_day: dict = defaultdict(list)
        for slot in busy.get(p.id, ()):
            by_day[slot_day[slot]].append(slot_pos[slot])
        count = 0
        for positions in by_day.values():
            positions.sort()
            count += sum(1 for u, v in zip(positions, positions[1:], strict=False) if v != u + 1)
        by_participant[p.id] = count
    return Checked(
        violations=problems,
        placed=len(placements),
        breaks=sum(by_participant.values()),
        worst=max(by_participant.values(), default=0),
        breaks_by_participant=by_participant,
    )


def assert_valid(problem, result) -> Checked:
    """Check a scheduler result and that its report tells the truth about it."""
    checked = check(problem, result.placements)
    assert checked.violations == [], checked.violations[:10]
    report = result.report
    assert report.placed == checked.placed == len(result.placements)
    assert report.requested == len(problem.meetings)
    assert report.breaks == checked.breaks
    assert report.worst_breaks == checked.worst
    assert report.upper_bound >= report.placed
    unplaced = {u.meeting for u in report.unplaced}
    assert unplaced == {m.id for m in problem.meetings} - set(result.placements)
    for pid, figures in report.participants.items():
        assert figures.breaks == checked.breaks_by_participant[pid]
    return checked
