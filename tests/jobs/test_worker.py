"""The jobs against a real broker (Redis on 127.0.0.1:6379) and a real worker process
(`celery -A kbio worker`), as in production: the pages answer while the job waits for the
worker, a second run is refused while the first is queued, the worker runs the scheduler and
the publish, and with the mail server down an e-mail is retried, recorded as failed, and sent
once the server is back.

The worker is another process, so it must see the test database: these tests run on
PostgreSQL only (SQLite's test database lives in this process's memory), with committed
transactions, and the worker is given the test database's name. Each run uses its own Redis
database number and queue name, so that parallel runs do not take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from kombu import pools

from kbio.celery import app
from kbio.events.models import EventStatus, Meeting
from kbio.jobs import tasks
from kbio.jobs.models import DeliveryState, EmailDelivery, Job, JobKind, JobState
from tests.jobs.smtp import SMTPSink

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, log: Path | None = None, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"Timed out waiting for {what}.\nWorker log:\n{tail}")


@pytest.fixture
def broker():
    """Jobs of this process go to a Redis database and queue of this run's own."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "A worker process cannot see SQLite's in-memory test database; "
            "these tests run on PostgreSQL."
        )
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        pytest.fail("Redis is not answering on 127.0.0.1:6379; the worker tests need it.")
    queue = f"kbio-test-{uuid.uuid4().hex[:12]}"
    url = f"redis://{REDIS[0]}:{REDIS[1]}/{1 + os.getpid() % 15}"
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }

    def reset_connections():
        for name in ("queues", "router"):
            app.amqp.__dict__.pop(name, None)
        app.amqp._producer_pool = None
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        pools.reset()  # kombu's producer pools, shared by connection address

    reset_connections()
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    yield {"url": url, "queue": queue}
    reset_connections()
    app.conf.update(saved)
    client = redis.Redis.from_url(url)
    for key in [*client.scan_iter(f"{queue}*"), *client.scan_iter(f"*{queue}*")]:
        client.delete(key)
    client.close()


@pytest.fixture
def worker(broker, tmp_path):
    """Starts `celery -A kbio worker` on the test database; stopped (and waited for) after."""
    started: list[subprocess.Popen] = []

    def start(**env) -> Path:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER'] or 'postgres'}"
            f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        log = tmp_path / f"worker-{len(started)}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker["url"],
            "CELERY_QUEUE": broker["queue"],
            "DEBUG": "1",
            "LOG_LEVEL": "INFO",
            **{key: str(value) for key, value in env.items()},
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "kbio",
                    "worker",
                    "-l",
                    "info",
                    "-P",
                    "solo",
                    "-Q",
                    broker["queue"],
                    "-n",
                    f"{broker['queue']}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        wait_for(lambda: b"ready." in log.read_bytes(), "the worker to start", log)
        return log

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    assert all(process.poll() is not None for process in started)


def test_scheduler_and_publish_run_on_the_worker(worker, staff, closed, alice, bob, charlie):
    run_url = reverse("organizer:schedule_run", args=[closed.slug])
    page_url = reverse("organizer:schedule", args=[closed.slug])

    # No worker yet: the page answers at once, the job waits in the queue...
    began = time.monotonic()
    response = staff.post(run_url, {"mode": "run"})
    assert response.status_code == 302 and time.monotonic() - began < 1.0
    job = Job.objects.get()
    assert job.state == JobState.QUEUED
    html = staff.get(page_url).content.decode()
    assert "Waiting for a worker to take it" in html and "data-job-poll" in html
    # ...and a second run is refused while it does.
    response = staff.post(run_url, {"mode": "run"}, follow=True)
    assert "The scheduler is already running for this event" in response.content.decode()
    assert Job.objects.count() == 1

    log = worker(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE, "the scheduler job", log)
    closed.refresh_from_db()
    assert closed.status == EventStatus.SCHEDULED
    assert Meeting.objects.count() == 1
    html = staff.get(page_url).content.decode()
    assert "1 of 1 meeting placed." in html and "data-job-poll" not in html
    # The fragment the page polls says the same.
    fragment = staff.get(reverse("organizer:job", args=[job.pk])).content.decode()
    assert "Scheduler run: Done" in fragment

    staff.post(reverse("organizer:schedule_publish", args=[closed.slug]))
    publish = Job.objects.get(kind=JobKind.PUBLISH)
    wait_for(lambda: Job.objects.get(pk=publish.pk).state == JobState.DONE, "the publish", log)
    assert Meeting.objects.get().is_published
    deliveries = EmailDelivery.objects.filter(kind="schedule")
    wait_for(
        lambda: (
            deliveries.count() == 3
            and set(deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}
        ),
        "the schedule e-mails",
        log,
    )


class Inbox(socketserver.ThreadingTCPServer):
    """A mail server on `port` that keeps what it is sent."""

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SMTPSink)
        self.messages: list[str] = []

    def received(self, text: str) -> None:
        self.messages.append(text)


def test_with_the_mail_server_down_the_email_waits_and_leaves_when_it_is_back(worker, alice, bob):
    port = free_port()  # nothing listens there yet: the mail server is down
    log = worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=5,
        EMAIL_RETRIES=2,
        EMAIL_RETRY_BACKOFF=1,
    )
    response = alice.client.post(
        reverse("events:request_create", args=[bob.participation.event.slug, "bob-org"]),
        {"message": "Shall we meet about KB-101?"},
    )
    assert response.status_code == 302
    delivery = EmailDelivery.objects.get(kind="requested")
    # Tried, retried with backoff, then recorded as failed: kept, not lost.
    wait_for(
        lambda: EmailDelivery.objects.get(pk=delivery.pk).state == DeliveryState.FAILED,
        "the e-mail to run out of retries",
        log,
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert "Connection" in delivery.last_error
    assert b"Retry in" in log.read_bytes()

    server = Inbox(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tasks.retry_failed_emails.delay()  # what beat does every 15 minutes
        wait_for(
            lambda: EmailDelivery.objects.get(pk=delivery.pk).state == DeliveryState.SENT,
            "the e-mail to leave once the server is back",
            log,
        )
        (message,) = server.messages
        assert "bob@example.org" in message
    finally:
        server.shutdown()
        server.server_close()
