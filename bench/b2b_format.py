"""Reader for the B2B meeting-scheduling benchmark files (MiniZinc data, ``.dzn``).

The literature benchmark of Bofill et al. (JAIR 74, 2022) describes each event as MiniZinc data:
``nBusiness`` participants, ``nTables`` tables, ``nTotalSlots`` slots of which the first
``nMorningSlots`` are the morning, one ``requested`` row ``a, b, session`` per meeting
(session 1 = morning only, 2 = afternoon only, 3 = any slot), ``forbidden`` slots per
participant and ``fixed`` slots per meeting. Sets carry a dummy ``0`` entry and the
``meetingsxBusiness`` lists a dummy meeting, so per-participant figures are recomputed from
``requested`` instead of being read.

Pure Python: no Django import. ``to_problem`` turns an instance into the scheduler's input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kbio.scheduling import solver as scheduler

MORNING, AFTERNOON, ANY_SESSION = 1, 2, 3


class DznError(ValueError):
    """The file is not a B2B instance this reader understands."""


@dataclass(frozen=True)
class B2BInstance:
    name: str
    n_participants: int
    n_tables: int
    n_slots: int
    n_morning: int
    # One (a, b, session) per meeting, participants 1-based as in the file.
    requested: tuple[tuple[int, int, int], ...]
    # Per participant (index 0 = participant 1): the 1-based slots it cannot attend.
    forbidden: tuple[frozenset[int], ...]
    # Per meeting: the 1-based slot it must take, 0 when free.
    fixed: tuple[int, ...]

    @property
    def has_sessions(self) -> bool:
        return 0 < self.n_morning < self.n_slots

    def meetings_of(self, participant: int) -> list[int]:
        """1-based meeting rows of a 1-based participant, recomputed from ``requested``."""
        return [i for i, (a, b, _) in enumerate(self.requested, 1) if participant in (a, b)]


_TOKEN = re.compile(r"\[\||\|\]|[\[\]{}|,;=]|-?\d+|[A-Za-z_][A-Za-z0-9_]*|\.\.")


def _tokens(text: str) -> list[str]:
    text = re.sub(r"%[^\n]*", "", text)
    tokens = _TOKEN.findall(text)
    leftover = _TOKEN.sub("", text).strip()
    if leftover:
        raise DznError(f"unexpected characters in the data: {leftover[:40]!r}")
    return tokens


def _parse_value(tokens: list[str], pos: int):
    """Parse one value at ``pos``; return (value, next position).

    Values are integers, sets of integers (``{1,2}`` or ``1..5``), arrays of values (``[...]``)
    and two-dimensional arrays (``[| 1,2 | 3,4 |]``, returned as a list of rows).
    """
    tok = tokens[pos]
    if tok == "[|":
        rows, row, pos = [], [], pos + 1
        while tokens[pos] != "|]":
            if tokens[pos] == "|":
                rows.append(row)
                row, pos = [], pos + 1
                continue
            if tokens[pos] == ",":
                pos += 1
                continue
            value, pos = _parse_value(tokens, pos)
            row.append(value)
        if row:
            rows.append(row)
        return rows, pos + 1
    if tok == "[":
        items, pos = [], pos + 1
        while tokens[pos] != "]":
            if tokens[pos] == ",":
                pos += 1
                continue
            value, pos = _parse_value(tokens, pos)
            items.append(value)
        return items, pos + 1
    if tok == "{":
        items, pos = set(), pos + 1
        while tokens[pos] != "}":
            if tokens[pos] == ",":
                pos += 1
                continue
            if tokens[pos + 1] == "..":
                items.update(range(int(tokens[pos]), int(tokens[pos + 2]) + 1))
                pos += 3
                continue
            items.add(int(tokens[pos]))
            pos += 1
        return frozenset(items), pos + 1
    if re.fullmatch(r"-?\d+", tok):
        if pos + 2 < len(tokens) and tokens[pos + 1] == "..":
            return frozenset(range(int(tok), int(tokens[pos + 2]) + 1)), pos + 3
        return int(tok), pos + 1
    raise DznError(f"unexpected token {tok!r}")


def parse_dzn_assignments(text: str) -> dict[str, object]:
    """All ``name = value;`` assignments of a MiniZinc data file."""
    tokens = _tokens(text)
    values: dict[str, object] = {}
    pos = 0
    try:
        while pos < len(tokens):
            name = tokens[pos]
            if tokens[pos + 1] != "=":
                raise DznError(f"expected '=' after {name!r}")
            value, pos = _parse_value(tokens, pos + 2)
            if tokens[pos] != ";":
                raise DznError(f"expected ';' after the value of {name!r}")
            values[name] = value
            pos += 1
    except IndexError:
        raise DznError("the data ends in the middle of a value") from None
    return values


def parse_dzn(text: str, name: str = "") -> B2BInstance:
    values = parse_dzn_assignments(text)
    for key in ("nBusiness", "nTables", "nTotalSlots", "requested"):
        if key not in values:
            raise DznError(f"missing {key}")
    n_participants = int(values["nBusiness"])
    n_slots = int(values["nTotalSlots"])
    n_morning = int(values.get("nMorningSlots", n_slots))
    requested = []
    for row in values["requested"]:
        if len(row) != 3:
            raise DznError(f"a requested row must be 'a, b, session', got {row}")
        a, b, session = (int(v) for v in row)
        for p in (a, b):
            if not 1 <= p <= n_participants:
                raise DznError(f"participant {p} is outside 1..{n_participants}")
        if a == b:
            raise DznError(f"participant {a} cannot meet itself")
        if session not in (MORNING, AFTERNOON, ANY_SESSION):
            raise DznError(f"unknown session code {session}")
        requested.append((a, b, session))
    if "nMeetings" in values and int(values["nMeetings"]) != len(requested):
        raise DznError(f"nMeetings = {values['nMeetings']} but {len(requested)} rows requested")
    forbidden_raw = values.get("forbidden", [frozenset()] * n_participants)
    if len(forbidden_raw) != n_participants:
        raise DznError("forbidden must have one set per participant")
    # 0 is a dummy entry; slots outside the day are ignored as well.
    forbidden = tuple(frozenset(s for s in f if 1 <= s <= n_slots) for f in forbidden_raw)
    fixed = tuple(int(v) for v in values.get("fixed", [0] * len(requested)))
    if len(fixed) != len(requested):
        raise DznError("fixed must have one entry per meeting")
    for precedence in values.get("precedences", []):
        if precedence:
            raise DznError("precedences between meetings are not supported")
    return B2BInstance(
        name=name,
        n_participants=n_participants,
        n_tables=int(values["nTables"]),
        n_slots=n_slots,
        n_morning=n_morning,
        requested=tuple(requested),
        forbidden=forbidden,
        fixed=fixed,
    )


def read_dzn(path: str | Path) -> B2BInstance:
    path = Path(path)
    name = path.name.removesuffix(".dzn")
    return parse_dzn(path.read_text(encoding="utf-8"), name=name)


def to_problem(instance: B2BInstance) -> scheduler.Problem:
    """The scheduler's input for a benchmark instance.

    Slots, tables, participants and meetings keep the file's 1-based numbers as ids. All slots
    are one day (breaks are counted across the morning/afternoon boundary, as in the paper);
    slot sessions are ``"am"`` and ``"pm"``. Fixed meetings become pinned meetings, seated at
    the lowest free table of their slot.
    """
    slots = tuple(
        scheduler.Slot(id=t, day=1, session="am" if t <= instance.n_morning else "pm")
        for t in range(1, instance.n_slots + 1)
    )
    participants = tuple(
        scheduler.Participant(id=p, blocked=instance.forbidden[p - 1])
        for p in range(1, instance.n_participants + 1)
    )
    meetings = []
    for i, (a, b, session) in enumerate(instance.requested, 1):
        sessions = None
        if session == MORNING:
            sessions = frozenset({"am"})
        elif session == AFTERNOON:
            sessions = frozenset({"pm"})
        meetings.append(scheduler.Meeting(id=i, a=a, b=b, sessions=sessions))
    pinned = []
    seated: dict[int, int] = {}
    for i, slot in enumerate(instance.fixed, 1):
        if slot:
            seated[slot] = seated.get(slot, 0) + 1
            pinned.append(scheduler.Pinned(meeting=i, slot=slot, table=seated[slot]))
    return scheduler.Problem(
        slots=slots,
        tables=instance.n_tables,
        participants=participants,
        meetings=tuple(meetings),
        pinned=tuple(pinned),
    )
