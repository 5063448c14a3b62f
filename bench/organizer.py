"""Organizer tools at the scale of a large partnering event.

Run against PostgreSQL (the database is created, migrated and filled on first use):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_organizer \\
        python bench/organizer.py [--participants 6000] [--requests 30000] [--views 5]

BIO-Europe 2023 had about 6,000 participants and 30,000 meetings; the defaults build one event
of that size from synthetic organizations: every organization registered, the requests spread
over random pairs (half accepted, a quarter declined, the rest pending or cancelled), the
accepted ones placed on a two-day grid of slots and tables as far as it goes, and an outcome
recorded for a fifth of the meetings. It prints, for the organizer's pages and files:

* the dashboard's server time (Django's test client in-process: routing, middleware, view,
  queries, SVG charts, template), median and worst over --views views, and its query count;
* the time and size of the requests, schedule and organizations CSV exports;
* the time to import the exported requests and organizations files again (every row
  checked, nothing changes), i.e. the cost of the all-or-nothing check per row, and to import
  the requests file into an event that has none (every row written).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from kbio.directory.models import FocusArea, Organization  # noqa: E402
from kbio.events.models import (  # noqa: E402
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    Session,
    SessionKind,
    Table,
    TimeSlot,
)
from kbio.organizer import exports, services  # noqa: E402
from kbio.outcomes.models import Outcome, OutcomeStage  # noqa: E402

SLUG = "bench-organizer"
TOKYO = ZoneInfo("Asia/Tokyo")
SLOTS_PER_DAY = 16
TABLES = 400


@transaction.atomic
def build_event(participants: int, requests: int) -> Event:
    rng = random.Random(7)
    Outcome.objects.filter(request__event__slug=SLUG).delete()
    Meeting.objects.filter(request__event__slug=SLUG).delete()
    Event.objects.filter(slug=SLUG).delete()
    event = Event.objects.create(
        slug=SLUG,
        name="Benchmark partnering event",
        venue="Benchmark hall",
        status=EventStatus.PUBLISHED,
    )
    slots = []
    for day in range(2):
        start = datetime(2025, 1, 16 + day, 9, 0, tzinfo=TOKYO)
        session = Session.objects.create(
            event=event,
            kind=SessionKind.PARTNERING,
            name_en=f"Partnering day {day + 1}",
            starts_at=start,
            ends_at=start + timedelta(minutes=30 * SLOTS_PER_DAY),
        )
        slots += TimeSlot.objects.bulk_create(
            TimeSlot(
                session=session,
                starts_at=start + timedelta(minutes=30 * i),
                ends_at=start + timedelta(minutes=30 * i + 25),
            )
            for i in range(SLOTS_PER_DAY)
        )
    tables = Table.objects.bulk_create(Table(event=event, number=n + 1) for n in range(TABLES))
    orgs = list(Organization.objects.filter(slug__startswith="demo-3-").order_by("pk"))
    orgs = orgs[:participants]
    parts = Participation.objects.bulk_create(
        Participation(event=event, organization=org) for org in orgs
    )
    ventures = [p for p, o in zip(parts, orgs, strict=True) if o.kind == "venture"]
    others = [p for p, o in zip(parts, orgs, strict=True) if o.kind != "venture"]
    pairs: set[tuple[int, int]] = set()
    rows = []
    while len(rows) < requests:
        a, b = rng.choice(ventures), rng.choice(others)
        if rng.random() < 0.2:
            a, b = b, a
        if (a.pk, b.pk) in pairs:
            continue
        pairs.add((a.pk, b.pk))
        draw = rng.random()
        status, reason = "pending", ""
        if draw < 0.5:
            status = "accepted"
        elif draw < 0.75:
            status, reason = "declined", rng.choice(["outside_focus", "too_early", "other"])
        elif draw < 0.85:
            status = "cancelled"
        rows.append(
            MeetingRequest(
                event=event,
                requester=a,
                recipient=b,
                status=status,
                decline_reason=reason,
                message="Benchmark request: we would like to discuss a partnership.",
            )
        )
    created = MeetingRequest.objects.bulk_create(rows, batch_size=2000)
    busy: dict[int, set[int]] = {slot.pk: set() for slot in slots}
    used: dict[int, int] = {slot.pk: 0 for slot in slots}
    meetings = []
    for r in created:
        if r.status != "accepted":
            continue
        for slot in slots:
            people = busy[slot.pk]
            if (
                used[slot.pk] < TABLES
                and r.requester_id not in people
                and (r.recipient_id not in people)
            ):
                meetings.append(
                    Meeting(request=r, slot=slot, table=tables[used[slot.pk]], is_published=True)
                )
                people.update((r.requester_id, r.recipient_id))
                used[slot.pk] += 1
                break
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    stages = OutcomeStage.values
    Outcome.objects.bulk_create(
        (
            Outcome(
                request_id=m.request_id,
                stage=rng.choice(stages),
                on=date(2025, 2, 1) + timedelta(days=rng.randrange(60)),
            )
            for m in meetings
            if rng.random() < 0.2
        ),
        batch_size=2000,
    )
    return event


def prepare(participants: int, requests: int) -> Event:
    call_command("migrate", verbosity=0)
    if not FocusArea.objects.exists():
        call_command("loaddata", "taxonomy", verbosity=0)
    if Organization.objects.filter(slug__startswith="demo-3-").count() < participants:
        print(f"Generating {participants} organizations (seed 3)...", flush=True)
        call_command("generate_demo", organizations=participants, seed=3, stdout=io.StringIO())
    event = Event.objects.filter(slug=SLUG).first()
    if (
        event is None
        or event.participations.count() != participants
        or event.requests.count() != requests
    ):
        print(f"Building the event: {participants} participants, {requests} requests...")
        event = build_event(participants, requests)
    return event


def timed(label: str, call):
    started = time.perf_counter()
    result = call()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=30000)
    parser.add_argument("--views", type=int, default=5)
    args = parser.parse_args()
    event = prepare(args.participants, args.requests)
    print(
        f"Event: {event.participations.count()} participants, {event.requests.count()} "
        f"requests, {Meeting.objects.filter(request__event=event).count()} meetings placed, "
        f"{Outcome.objects.of_event(event).count()} outcome records; database "
        f"{connection.vendor}."
    )
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-organizer", defaults={"is_staff": True}
    )
    client = Client()
    client.force_login(staff)
    url = reverse("organizer:dashboard", args=[event.slug])
    client.get(url)  # builds the matching index, as the first view after a change does
    times, queries = [], set()
    for _ in range(args.views):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries.add(len(captured))
    print(
        f"Dashboard: median {statistics.median(times) * 1000:.0f} ms, worst "
        f"{max(times) * 1000:.0f} ms over {args.views} views; {sorted(queries)} queries; "
        f"{len(response.content) // 1024} KiB of HTML"
    )
    requests_csv = timed("Requests export", lambda: exports.requests_csv(event))
    print(f"  {len(requests_csv.encode()) // 1024} KiB, {requests_csv.count(chr(10)) - 1} rows")
    schedule_csv = timed("Schedule export", lambda: exports.schedule_csv(event))
    print(f"  {len(schedule_csv.encode()) // 1024} KiB, {schedule_csv.count(chr(10)) - 1} rows")
    organizations_csv = timed("Organizations export", exports.organizations_csv)
    print(f"  {len(organizations_csv.encode()) // 1024} KiB")
    result = timed(
        "Requests import of the export (all rows checked)",
        lambda: services.meeting_requests_import(event=event, data=requests_csv.encode()),
    )
    print(f"  {result}")
    copy = Event.objects.create(slug=f"{SLUG}-copy", name="Benchmark copy", venue="Benchmark hall")
    Participation.objects.bulk_create(
        Participation(event=copy, organization_id=org)
        for org in event.participations.values_list("organization_id", flat=True)
    )
    result = timed(
        "Requests import into an event without requests (every row creates one)",
        lambda: services.meeting_requests_import(event=copy, data=requests_csv.encode()),
    )
    print(f"  {result}")
    copy.delete()
    result = timed(
        "Organizations import of the export (all rows checked)",
        lambda: services.organizations_import(data=organizations_csv.encode()),
    )
    print(f"  {result}")


if __name__ == "__main__":
    main()
