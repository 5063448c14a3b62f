"""The organizer's "Run scheduler" and "Publish" on a convention-size event, through a real worker,
with the mail server down, then back.

Run against PostgreSQL and Redis (the database is created, migrated and filled on first use):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_jobs \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
        python bench/jobs_event.py [--participants 6000] [--meetings 30000] [--backoff 2]

The event is the one of `bench/schedule_event.py` (3 days x 16 slots, 800 tables, 6,000
participants, 30,000 accepted requests), each participant with one delegate who reads e-mail in
English, Korean or Japanese. Then, as in production:

1. a `celery -A kbio worker` process (as `make worker`: prefork, one process per core) on the
   same database and broker, its own queue, and the e-mail backend pointed at SMTP on a port
   where nothing listens: the mail server is down;
2. an organizer (Django's test client, in this process) presses "Run the scheduler": the time of
   the POST and of the page it leads to, then the job's progress as the page's status fragment
   shows it, until the job is done;
3. "Publish": the same; then the e-mails by state (none can have left), and how often they were
   tried;
4. a small SMTP server starts on that port: the e-mails leave on their next retry (the send task
   retries with exponential backoff, `EMAIL_RETRY_BACKOFF` set by --backoff here, 60 s in
   production); how many arrived, how long it took, and how many were lost.

No answer may be a server error (500). The worker and the SMTP server are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_string
from email.utils import getaddresses
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backoff",
        type=int,
        default=2,
        help="EMAIL_RETRY_BACKOFF of the worker, seconds (production: 60)",
    )
    parser.add_argument("--retries", type=int, default=10, help="EMAIL_RETRIES of the worker")
    parser.add_argument(
        "--down",
        type=float,
        default=0.0,
        help="seconds the mail server stays down after the publish job is done",
    )
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between status polls")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per phase, seconds")


# The environment of this process (the web side) and of the worker, set before Django starts.
_early = argparse.ArgumentParser(add_help=False)
bench_options(_early)
EARLY, _rest = _early.parse_known_args()
SMTP_PORT = free_port()  # nothing listens there until phase 4
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kbio_bench_jobs")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("CELERY_QUEUE", f"kbio-bench-jobs-{os.getpid()}")
MAIL = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "EMAIL_TIMEOUT": "5",
    "EMAIL_RETRIES": str(EARLY.retries),
    "EMAIL_RETRY_BACKOFF": str(EARLY.backoff),
}
os.environ.update(MAIL)

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import schedule_event as base  # noqa: E402  (starts Django)
from kbio.directory.models import Contact  # noqa: E402
from kbio.events.models import Attendee, Event, Meeting, Participation  # noqa: E402
from kbio.jobs import in_process  # noqa: E402
from kbio.jobs.models import DeliveryState, EmailDelivery, Job, JobState  # noqa: E402
from tests.jobs.smtp import SMTPSink  # noqa: E402

LANGUAGES = ("en", "ko", "ja")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


@transaction.atomic
def add_delegates(event: Event) -> int:
    """One delegate per participant, reading e-mail in English, Korean or Japanese."""
    participations = list(
        Participation.objects.filter(event=event).select_related("organization").order_by("pk")
    )
    wanted = {
        p.organization_id: Contact(
            organization=p.organization,
            name=f"Delegate of {p.organization.name}"[:200],
            email=f"delegate@{p.organization.slug}.example.org",
            language=LANGUAGES[i % len(LANGUAGES)],
        )
        for i, p in enumerate(participations)
    }
    Contact.objects.filter(organization_id__in=wanted, email__startswith="delegate@").delete()
    Contact.objects.bulk_create(wanted.values(), batch_size=2000)
    Attendee.objects.bulk_create(
        (Attendee(participation=p, contact=wanted[p.organization_id]) for p in participations),
        batch_size=2000,
    )
    return len(participations)


# --- the worker and the mail server -----------------------------------------------------------


class Worker:
    """`celery -A kbio worker` as `make worker` starts it, on this run's database and queue."""

    def __init__(self, logdir: Path):
        self.log = logdir / "worker.log"
        queue = os.environ["CELERY_QUEUE"]
        env = {
            **os.environ,
            **MAIL,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "kbio", "worker", "-l", "info"]
                + ["-Q", queue, "-n", f"{queue}@%h"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while b"ready." not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The worker did not start:\n{self.tail()}")
            time.sleep(0.2)

    def tail(self, size: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-size:] if self.log.exists() else ""

    def count(self, text: bytes) -> int:
        return self.log.read_bytes().count(text)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class MailServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SMTPSink)
        self.lock = threading.Lock()
        self.messages: list[tuple[str, ...]] = []
        self.first = self.last = None
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def received(self, text: str) -> None:
        message = message_from_string(text)
        to = tuple(sorted(address for _name, address in getaddresses(message.get_all("To", []))))
        with self.lock:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            self.messages.append(to)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# --- the organizer ----------------------------------------------------------------------------


class Organizer:
    def __init__(self, event: Event):
        self.client = Client()
        self.client.force_login(base.organizer())
        self.event = event
        self.statuses: Counter[int] = Counter()
        self.page = reverse("organizer:schedule", args=[event.slug])

    def request(self, method: str, url: str, data=None) -> tuple[int, float]:
        started = time.perf_counter()
        response = getattr(self.client, method)(url, data or {})
        seconds = time.perf_counter() - started
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            print(f"  SERVER ERROR {response.status_code} on {method.upper()} {url}")
        return response.status_code, seconds

    def press(self, name: str, label: str, data=None) -> Job:
        before = Job.objects.filter(event=self.event).values_list("pk", flat=True)
        before = set(before)
        url = reverse(name, args=[self.event.slug])
        status, seconds = self.request("post", url, data)
        print(f"{label}: POST {status} in {seconds * 1000:.0f} ms  ({load()})")
        status, page_seconds = self.request("get", self.page)
        print(f"  the schedule page it leads to: {status} in {page_seconds * 1000:.0f} ms")
        job = Job.objects.filter(event=self.event).exclude(pk__in=before).first()
        if job is None:
            raise RuntimeError(f"{label}: no job was started")
        self.pressed = time.perf_counter() - seconds - page_seconds
        return job

    def follow(self, job: Job, label: str, poll: float, timeout: float) -> Job:
        """Polls the status fragment the page polls, printing each new progress line."""
        url = reverse("organizer:job", args=[job.pk]) + f"?back={self.page}"
        shown = None
        fragment_times = []
        deadline = time.monotonic() + timeout
        while True:
            started = time.perf_counter()
            response = self.client.get(url)
            fragment_times.append(time.perf_counter() - started)
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                print(f"  SERVER ERROR {response.status_code} on the job fragment")
            job.refresh_from_db()
            html = response.content.decode()
            text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
            line = (job.state, job.percent, job.progress)
            if line != shown:
                shown = line
                elapsed = time.perf_counter() - self.pressed
                percent = "" if job.percent is None else f"{job.percent:3d}%"
                progress = job.progress or text[:100]
                print(f"  {elapsed:7.1f} s  {job.state:<7} {percent:>4}  {progress}")
            if not job.active:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{label}: not done after {timeout:.0f} s")
            time.sleep(poll)
        took = (job.finished - job.created).total_seconds()
        waited = (job.started - job.created).total_seconds() if job.started else 0.0
        fragment_times.sort()
        print(
            f"{label}: {job.state} in {took:.1f} s after the press (waited {waited:.1f} s for "
            f"the worker); status fragment median "
            f"{fragment_times[len(fragment_times) // 2] * 1000:.0f} ms, max "
            f"{fragment_times[-1] * 1000:.0f} ms over {len(fragment_times)} polls; {load()}"
        )
        print(f"  fragment: {text[:200]}")
        if job.error:
            print(f"  error: {job.error}")
        print(f"  result: { {k: v for k, v in job.result.items() if k != 'options'} }")
        return job


def forget_queue() -> None:
    """This run's queue and its bindings are removed from the broker."""
    import redis

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for key in list(client.scan_iter(f"*{queue}*")):
            client.delete(key)
    finally:
        client.close()


def deliveries_by_state(event: Event) -> dict[str, int]:
    rows = (
        EmailDelivery.objects.filter(event=event, kind="schedule")
        .values("state")
        .annotate(n=Count("pk"))
    )
    return {row["state"]: row["n"] for row in rows}


def attempts(event: Event) -> str:
    figures = EmailDelivery.objects.filter(event=event, kind="schedule").aggregate(
        total=Sum("attempts"), most=Max("attempts")
    )
    return f"{figures['total'] or 0} attempts in all, at most {figures['most'] or 0} for one"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    base.event_arguments(parser)
    bench_options(parser)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This bench needs PostgreSQL (DATABASE_URL): the worker is another process.")
    if in_process():
        sys.exit("This bench needs CELERY_BROKER_URL: jobs would run in this process.")
    print(f"Start: {load()}")
    event = base.prepare(args)
    print(f"  {add_delegates(event)} delegates, one per participant ({', '.join(LANGUAGES)})")
    EmailDelivery.objects.filter(event=event).delete()
    print(
        f"Broker {settings.CELERY_BROKER_URL} queue {settings.CELERY_TASK_DEFAULT_QUEUE}; "
        f"mail server 127.0.0.1:{SMTP_PORT} (down); retries {args.retries}, backoff "
        f"{args.backoff} s"
    )

    logdir = Path(tempfile.mkdtemp(prefix="kbio-bench-jobs-"))
    worker = server = None
    try:
        started = time.perf_counter()
        worker = Worker(logdir)
        print(f"Worker ready in {time.perf_counter() - started:.1f} s (log {worker.log})")
        organizer = Organizer(event)

        job = organizer.press("organizer:schedule_run", "Run the scheduler", {"mode": "run"})
        job = organizer.follow(job, "Scheduler run", args.poll, args.timeout)
        placed = Meeting.objects.filter(request__event=event).count()
        print(f"  {placed} meetings saved")
        if job.state != JobState.DONE:
            raise RuntimeError("The scheduler run failed")

        job = organizer.press("organizer:schedule_publish", "Publish")
        job = organizer.follow(job, "Publish", args.poll, args.timeout)
        if job.state != JobState.DONE:
            raise RuntimeError("The publish failed")
        published = Meeting.objects.filter(request__event=event, is_published=True).count()
        written = EmailDelivery.objects.filter(event=event, kind="schedule").count()
        print(f"  {published} meetings published, {written} schedule e-mails written")
        if args.down:
            time.sleep(args.down)
        states = deliveries_by_state(event)
        print(f"E-mails with the mail server down: {states}; {attempts(event)}; {load()}")
        print(f"  worker log: {worker.count(b'Retry in')} retries scheduled")
        if states.get(DeliveryState.SENT):
            print("  UNEXPECTED: e-mails marked sent while the mail server is down")

        server = MailServer(SMTP_PORT)
        back = time.perf_counter()
        print("Mail server up again: waiting for the retries...")
        deadline = time.monotonic() + args.timeout
        shown = None
        retried_failed = False
        while True:
            states = deliveries_by_state(event)
            if states != shown:
                shown = states
                print(
                    f"  {time.perf_counter() - back:7.1f} s  {states}  received "
                    f"{len(server.messages)}"
                )
            left = states.get(DeliveryState.QUEUED, 0)
            failed = states.get(DeliveryState.FAILED, 0)
            if not left and failed and not retried_failed:
                # Ran out of retries: what beat's retry_failed_emails does every 15 minutes.
                from kbio.jobs.tasks import retry_failed_emails

                retry_failed_emails.delay()
                retried_failed = True
                print(f"  {failed} ran out of retries: retry_failed_emails queued (as beat does)")
            elif not left and not failed:
                break
            if time.monotonic() > deadline:
                print(f"  still not sent after {args.timeout:.0f} s")
                break
            time.sleep(2)
        time.sleep(1)  # the last messages' QUIT
        deliveries = list(
            EmailDelivery.objects.filter(event=event, kind="schedule").values_list("to", flat=True)
        )
        expected = Counter(tuple(sorted(to)) for to in deliveries)
        with server.lock:
            received = Counter(server.messages)
            first, last = server.first, server.last
        lost = sum((expected - received).values())
        duplicates = sum((received - expected).values())
        print(
            f"Delivered: {sum(received.values())} e-mails received of {len(deliveries)} "
            f"written; lost {lost}; received twice {duplicates}; "
            f"first {0 if first is None else first - back:.1f} s and last "
            f"{0 if last is None else last - back:.1f} s after the mail server came back; "
            f"{attempts(event)}; {load()}"
        )
        print(
            f"Answers: {dict(sorted(organizer.statuses.items()))} "
            f"(server errors: {sum(n for s, n in organizer.statuses.items() if s >= 500)})"
        )
        errors = worker.count(b"ERROR/")
        print(f"Worker log: {errors} ERROR lines, {worker.count(b'Retry in')} retries scheduled")
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            worker.stop()
            print(f"Worker stopped (exit {worker.process.returncode})")
        forget_queue()
    print(f"End: {load()}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
