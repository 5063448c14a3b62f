"""Schedule a convention-size event through the app: database in, meetings saved, published.

Run against PostgreSQL (the database is created, migrated and filled on first use):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_schedule \\
        python bench/schedule_event.py [--participants 6000] [--meetings 30000] [--seed 0]

`bench/bio_scale.py` measures the scheduler alone on plain data; this one measures what an
organizer waits for: the event of `bench.synthetic_event` (3 days x 16 slots, 800 tables,
hosts at fixed tables, blocked slots, two-delegate teams) written as Participations, Tables,
TimeSlots and accepted MeetingRequests between generated organizations, then

* `schedule_event` (the organizer's button and `manage.py schedule_meetings`): loading the
  event and the match scores that rank the meetings, the solver, saving every meeting through
  the double-booking triggers, each timed;
* `publish_schedule` with the agenda emails (kept in memory);
* the organizer's schedule page: server time and query count.

Differences from the plain-data bench: a host keeps one fixed table (the data model gives a
host one booth), and no meeting is restricted to one day.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.synthetic_event import generated_event  # noqa: E402
from kbio.directory.models import FocusArea, Organization  # noqa: E402
from kbio.events.models import (  # noqa: E402
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    ScheduleRun,
    Session,
    SessionKind,
    Table,
    TimeSlot,
)
from kbio.scheduling.service import publish_schedule, schedule_event  # noqa: E402
from kbio.scheduling.solver import Options  # noqa: E402

SLUG = "bench-schedule"
TOKYO = ZoneInfo("Asia/Tokyo")
SLOT_MINUTES = 30


@transaction.atomic
def build_event(args) -> Event:
    problem = generated_event(
        participants=args.participants,
        meetings=args.meetings,
        days=args.days,
        slots_per_day=args.slots_per_day,
        tables=args.tables,
        seed=args.seed,
    )
    Meeting.objects.filter(request__event__slug=SLUG).delete()
    Event.objects.filter(slug=SLUG).delete()
    event = Event.objects.create(
        slug=SLUG,
        name="Benchmark convention",
        venue="Benchmark hall",
        status=EventStatus.CLOSED,
    )
    slot_of = {}
    per_session = args.slots_per_day // 2
    for day in range(args.days):
        for half, first_hour in ((0, 9), (1, 14)):
            start = datetime(2026, 6, 1 + day, first_hour, 0, tzinfo=TOKYO)
            session = Session.objects.create(
                event=event,
                kind=SessionKind.PARTNERING,
                name_en=f"Day {day + 1} {'morning' if half == 0 else 'afternoon'}",
                starts_at=start,
                ends_at=start + timedelta(minutes=SLOT_MINUTES * per_session),
            )
            created = TimeSlot.objects.bulk_create(
                TimeSlot(
                    session=session,
                    starts_at=start + timedelta(minutes=SLOT_MINUTES * i),
                    ends_at=start + timedelta(minutes=SLOT_MINUTES * i + 25),
                )
                for i in range(per_session)
            )
            first = day * args.slots_per_day + half * per_session + 1
            for i, slot in enumerate(created):
                slot_of[first + i] = slot
    orgs = list(Organization.objects.filter(slug__startswith="demo-3-").order_by("pk"))
    part_of = {}
    fixed_table: dict[int, str] = {}
    participations = []
    for person, org in zip(problem.participants, orgs, strict=False):
        tables = person.tables[:1]  # one booth per host in the data model
        participations.append(
            Participation(
                event=event,
                organization=org,
                capacity=len(tables) if tables else person.capacity,
            )
        )
        if tables:
            fixed_table[tables[0]] = person.id
    Participation.objects.bulk_create(participations, batch_size=2000)
    for person, participation in zip(problem.participants, participations, strict=False):
        part_of[person.id] = participation
    Participation.blocked_slots.through.objects.bulk_create(
        (
            Participation.blocked_slots.through(
                participation_id=part_of[person.id].pk, timeslot_id=slot_of[slot].pk
            )
            for person in problem.participants
            for slot in person.blocked
        ),
        batch_size=5000,
    )
    Table.objects.bulk_create(
        (
            Table(
                event=event,
                number=n,
                host=part_of[fixed_table[n]] if n in fixed_table else None,
            )
            for n in range(1, args.tables + 1)
        ),
        batch_size=2000,
    )
    MeetingRequest.objects.bulk_create(
        (
            MeetingRequest(
                event=event,
                requester=part_of[m.a],
                recipient=part_of[m.b],
                status="accepted",
                message="Benchmark request: we would like to discuss a partnership.",
            )
            for m in problem.meetings
        ),
        batch_size=5000,
    )
    return event


def prepare(args) -> Event:
    call_command("migrate", verbosity=0)
    if not FocusArea.objects.exists():
        call_command("loaddata", "taxonomy", verbosity=0)
    if Organization.objects.filter(slug__startswith="demo-3-").count() < args.participants:
        print(f"Generating {args.participants} organizations (seed 3)...", flush=True)
        call_command("generate_demo", organizations=args.participants, seed=3, stdout=io.StringIO())
    print(
        f"Building the event: {args.participants} participants, {args.meetings} accepted "
        "requests...",
        flush=True,
    )
    started = time.perf_counter()
    event = build_event(args)
    print(f"  built in {time.perf_counter() - started:.1f} s (not part of the figures)")
    return event


def organizer():
    """The bench's organizer login: staff in the "Organizers" group."""
    user, _created = get_user_model().objects.get_or_create(
        username="bench-organizer", defaults={"is_staff": True}
    )
    group = Group.objects.get(name="Organizers")
    user.groups.add(group)
    return user


def event_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the generated event (`prepare` and `build_event` read them)."""
    parser.add_argument("--participants", type=int, default=6000)
    parser.add_argument("--meetings", type=int, default=30000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--slots-per-day", type=int, default=16)
    parser.add_argument("--tables", type=int, default=800)
    parser.add_argument("--seed", type=int, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    event_arguments(parser)
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument("--views", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Note: not PostgreSQL; the figures this bench is about are PostgreSQL's.")
    event = prepare(args)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    marks: list[tuple[str, float]] = []

    def progress(text: str) -> None:
        marks.append((text, time.perf_counter()))

    started = time.perf_counter()
    run, result = schedule_event(
        event=event,
        options=Options(seed=args.seed, time_limit=args.time_limit),
        progress=progress,
    )
    finished = time.perf_counter()
    times = {text.split("…")[0].split(" ")[0]: at for text, at in marks}
    load = times["Scheduling"] - started
    solve = result.report.seconds
    save = finished - times["Saving"]
    report = result.report
    print(
        f"schedule_event: total={finished - started:.1f} s  load+match scores={load:.1f} s  "
        f"solver={solve:.1f} s  save {len(result.placements)} meetings={save:.1f} s"
    )
    print(
        f"placed={report.placed} upper_bound={report.upper_bound} "
        f"ratio={report.placed / max(1, report.upper_bound):.4f} requested={report.requested} "
        f"breaks={report.breaks} worst={report.worst_breaks}"
    )
    assert Meeting.objects.filter(request__event=event).count() == len(result.placements)

    from django.core import mail

    mail.outbox = []
    started = time.perf_counter()
    published = publish_schedule(event=event)
    print(
        f"publish_schedule: {published} meetings, {len(mail.outbox)} agenda emails, "
        f"{time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(organizer())
    url = reverse("organizer:schedule", args=[event.slug])
    client.get(url)
    durations = []
    for _ in range(args.views):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    print(
        f"schedule page: median={statistics.median(durations):.0f} ms "
        f"max={max(durations):.0f} ms queries={len(queries)}"
    )
    print(f"runs kept for the page: {ScheduleRun.objects.filter(event=event).count()}")


if __name__ == "__main__":
    main()
