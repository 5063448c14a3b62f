"""Starting and running the organizers' jobs: scheduler runs, publishing, resending, imports.

`start` records a queued Job and hands it to the queue (or runs it at once when jobs run
in-process); the database refuses a second scheduler run, or a second publish or resend, of
the same event while one is queued or running. `run` is what the worker does with it: the
work, in the language of the organizer who started it, with its progress, result or error
written on the Job for the pages to show.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import in_process
from .models import ACTIVE, Job, JobKind, JobState

logger = logging.getLogger(__name__)

# A job with no news for this long is taken for lost (its worker died) and no longer blocks
# the next one.
ABANDONED_AFTER = timedelta(hours=2)
# At most this many import errors are kept on the job for the page.
MAX_ERRORS = 200

SAME_LANE = {
    JobKind.SCHEDULE: [JobKind.SCHEDULE],
    JobKind.PUBLISH: [JobKind.PUBLISH, JobKind.RESEND],
    JobKind.RESEND: [JobKind.PUBLISH, JobKind.RESEND],
}


class JobRefused(Exception):
    """Another job of the same kind is queued or running for this event."""

    def __init__(self, running: Job | None):
        self.running = running
        super().__init__(refusal_text(running))


def refusal_text(running: Job | None) -> str:
    if running is not None and running.kind == JobKind.SCHEDULE:
        return _(
            "The scheduler is already running for this event; wait for it to finish before "
            "running it again."
        )
    return _(
        "The schedule is already being published for this event; wait for it to finish "
        "before publishing or resending again."
    )


def _abandon_stale(kind: str, event) -> None:
    lane = SAME_LANE.get(kind)
    if not lane or event is None:
        return
    Job.objects.filter(
        event=event, kind__in=lane, state__in=ACTIVE, updated__lt=timezone.now() - ABANDONED_AFTER
    ).update(
        state=JobState.FAILED,
        error=_("This job stopped answering and was given up."),
        finished=timezone.now(),
    )


def active_job(event, kind: str) -> Job | None:
    return Job.objects.filter(event=event, kind__in=SAME_LANE[kind], state__in=ACTIVE).first()


def start(
    kind: str,
    *,
    event=None,
    by=None,
    subject: str = "",
    options: dict | None = None,
    payload: bytes = b"",
) -> Job:
    """Queue a job (run it at once when jobs run in-process); JobRefused if one of the same
    kind is queued or running for the event."""
    _abandon_stale(kind, event)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                event=event,
                subject=subject,
                started_by=by if by is not None and by.is_authenticated else None,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                result={"options": options or {}},
                payload=payload,
            )
    except IntegrityError:
        raise JobRefused(active_job(event, kind)) from None
    _send(job.pk)
    return job


def _send(job_id: int) -> None:
    from .tasks import run_job

    def send() -> None:
        try:
            run_job.delay(job_id)
        except Exception:
            logger.exception("Job %s not queued: the job queue is unreachable", job_id)
            Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
                state=JobState.FAILED,
                error=_("The job queue could not be reached; nothing was done. Try again."),
                finished=timezone.now(),
            )

    if in_process():
        send()
    else:
        transaction.on_commit(send)


class Progress:
    """Writes a job's progress where the pages can read it at once.

    The scheduler reports inside its transaction; on PostgreSQL a second connection writes the
    progress so that it is seen before that transaction commits. Elsewhere (SQLite holds one
    writer at a time) progress inside a transaction is kept and written when it ends."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, text: str, percent: int | None = None) -> None:
        self.job.progress = str(text)[:300]
        if percent is not None:
            self.job.percent = max(0, min(100, int(percent)))
        now = timezone.now()
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(
                progress=self.job.progress, percent=self.job.percent, updated=now
            )
        elif connection.vendor == "postgresql":
            side = connections.create_connection("default")
            try:
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {Job._meta.db_table} SET progress = %s, percent = %s, "
                        "updated = %s WHERE id = %s",
                        [self.job.progress, self.job.percent, now, self.job.pk],
                    )
            except Exception:
                logger.warning("Progress of job %s not written", self.job.pk, exc_info=True)
            finally:
                side.close()


def run(job_id: int) -> str:
    """Run a queued job once; a job already taken (a redelivered message) is left alone."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started=now, updated=now
    )
    if not taken:
        return "already taken"
    job = Job.objects.get(pk=job_id)
    with translation.override(job.language):
        progress = Progress(job)
        try:
            result = RUNNERS[job.kind](job, progress)
        except ValidationError as exc:
            _finish(job, JobState.FAILED, error=" ".join(exc.messages))
        except JobFailed as exc:
            _finish(job, JobState.FAILED, error=exc.text, result=exc.result)
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                JobState.FAILED,
                error=_("The job stopped on an unexpected error; nothing was changed."),
            )
        else:
            _finish(job, JobState.DONE, result=result)
    return job.state


class JobFailed(Exception):
    def __init__(self, text: str, result: dict | None = None):
        super().__init__(text)
        self.text = text
        self.result = result or {}


def _finish(job: Job, state: str, *, error: str = "", result: dict | None = None) -> None:
    job.state = state
    job.error = error
    job.result = {**job.result, **(result or {})}
    job.finished = timezone.now()
    if state == JobState.DONE:
        job.percent = 100
    job.payload = b""
    job.save(
        update_fields=[
            "state",
            "error",
            "result",
            "finished",
            "progress",
            "percent",
            "payload",
            "updated",
        ]
    )


# --- the work ------------------------------------------------------------------------------


def _schedule(job: Job, progress: Progress) -> dict:
    from kbio.scheduling import service as scheduling
    from kbio.scheduling.solver import Options

    options = job.result.get("options", {})
    dry_run = bool(options.get("dry_run"))
    # In a worker the scheduler has the command line's budget; in-process (no worker), the
    # page waits for it, so it gets the shorter budget a request can afford.
    budget = Options(effort=4.0, time_limit=25.0) if in_process() else Options()
    steps = iter((5, 10, 15, 90, 95))
    told = {"at": 0.0, "text": ""}

    def say(text: str) -> None:
        told["text"] = text
        progress(text, next(steps, None))

    def solving(share: float) -> None:
        # The solver's share of its work, from 15 % to 90 %, at most once a second.
        now = time.monotonic()
        if now - told["at"] >= 1.0:
            told["at"] = now
            progress(told["text"], 15 + round(75 * share))

    run, _result = scheduling.schedule_event(
        event=job.event,
        by=job.started_by,
        dry_run=dry_run,
        options=budget,
        progress=say,
        solving=solving,
    )
    return {"run": run.pk, "placed": run.placed, "requested": run.requested, "dry_run": dry_run}


def _publish(job: Job, progress: Progress) -> dict:
    from kbio.events import notifications
    from kbio.scheduling import service as scheduling

    progress(_("Publishing the meetings…"), 5)
    count = scheduling.publish_schedule(event=job.event, notify=False)
    emails = notifications.send_schedule_published(job.event, progress=progress)
    return {"published": count, "emails": emails}


def _resend(job: Job, progress: Progress) -> dict:
    from kbio.events import notifications

    missing = notifications.schedule_not_received(job.event)
    emails = notifications.send_schedule_published(job.event, only=missing, progress=progress)
    return {"participants": len(missing), "emails": emails}


def _import(job: Job, progress: Progress) -> dict:
    from kbio.organizer import services
    from kbio.organizer.csvfiles import ImportRefused

    progress(_("Reading and checking the file…"), 5)
    data = bytes(job.payload)
    try:
        if job.subject == "organizations":
            result = services.organizations_import(data=data)
        elif job.subject == "criteria":
            result = services.criteria_import(data=data)
        else:
            result = services.meeting_requests_import(event=job.event, data=data, by=job.started_by)
    except ImportRefused as exc:
        errors = [str(error) for error in exc.errors]
        raise JobFailed(
            _("The file was refused; nothing was imported."),
            {"errors": errors[:MAX_ERRORS], "error_count": len(errors)},
        ) from None
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


RUNNERS: dict[str, Callable[[Job, Progress], dict]] = {
    JobKind.SCHEDULE: _schedule,
    JobKind.PUBLISH: _publish,
    JobKind.RESEND: _resend,
    JobKind.IMPORT: _import,
}
