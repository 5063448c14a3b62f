"""python manage.py schedule_meetings <event-slug> [--dry-run] [--json] [--publish]

Places the event's accepted meeting requests into slots and tables, the same as the
organizer's "Run the scheduler" button, and prints the report: placed against the upper bound,
every unplaced meeting with its reason, breaks. Progress goes to stderr, so `--json` output on
stdout can be piped.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kbio.events.models import Event
from kbio.scheduling.report import describe_run
from kbio.scheduling.service import publish_schedule, schedule_event
from kbio.scheduling.solver import Options


class _Ticker:
    """Elapsed seconds on one terminal line while the solver works (only on a terminal)."""

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        while not self.stop.wait(1.0):
            self.stream.write(f"\r{self.label} {time.monotonic() - start:.0f} s")
            self.stream.flush()

    def __enter__(self):
        if getattr(self.stream, "isatty", lambda: False)():
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Place an event's accepted meeting requests into slots and tables and report."

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug, e.g. kbio-2025")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and report, change nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--publish", action="store_true", help="publish the schedule afterwards"
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--effort",
            type=float,
            default=Options.effort,
            help="work budget for fewer breaks, about seconds of solver work (default %(default)s)",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=Options.time_limit,
            help="wall-clock cap in seconds (default %(default)s)",
        )
        parser.add_argument(
            "--workers", type=int, choices=(1, 2), default=1, help="processes for the solver"
        )

    def handle(self, *args, **opts):
        if opts["dry_run"] and opts["publish"]:
            raise CommandError("--dry-run and --publish exclude each other.")
        try:
            event = Event.objects.get(slug=opts["event"])
        except Event.DoesNotExist:
            raise CommandError(f"No event with the slug {opts['event']!r}.") from None
        err = self.stderr
        started = time.monotonic()

        def progress(text: str) -> None:
            err.write(f"[{time.monotonic() - started:5.1f} s] {text}")

        options = Options(
            seed=opts["seed"],
            effort=opts["effort"],
            time_limit=opts["time_limit"],
            workers=opts["workers"],
        )
        try:
            with _Ticker(sys.stderr, "   scheduling…"):
                run, result = schedule_event(
                    event=event, dry_run=opts["dry_run"], options=options, progress=progress
                )
            published = None
            if opts["publish"]:
                published = publish_schedule(event=event)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report = result.report
        # The run's report in words (in the active language, English by default).
        described = describe_run(run.report, event)
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "event": event.slug,
                        "dry_run": opts["dry_run"],
                        "requested": report.requested,
                        "placed": report.placed,
                        "kept": run.kept,
                        "upper_bound": report.upper_bound,
                        "breaks": report.breaks,
                        "worst_breaks": report.worst_breaks,
                        "breaks_lower_bound": report.breaks_lower_bound,
                        "seconds": round(report.seconds, 2),
                        "unplaced": [
                            {"request": request.pk, "reason": item.reason, "message": text}
                            for item, request, text in described.unplaced
                        ],
                        "notes": described.notes,
                        "published": published,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        out = self.stdout
        out.write(
            f"{event.name}: placed {report.placed} of {report.requested} meetings "
            f"(at most {report.upper_bound} can be placed); "
            f"breaks {report.breaks}, worst participant {report.worst_breaks}; "
            f"{report.seconds:.1f} s"
        )
        for note in described.notes:
            out.write(f"  note: {note}")
        for _item, request, text in described.unplaced:
            out.write(f"  not placed: request {request.pk}: {text}")
        if opts["dry_run"]:
            out.write("Dry run: nothing was saved.")
        else:
            out.write(self.style.SUCCESS(f"Saved {len(result.placements)} meetings."))
        if published is not None:
            out.write(self.style.SUCCESS(f"Published {published} meetings."))
