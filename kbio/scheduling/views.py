"""The organizer's schedule page and its buttons: run the scheduler (or a trial run), publish,
send the schedule e-mail again to those whose last one failed.

The work runs as background jobs (kbio/jobs/): each button answers at once and the page shows the
job's progress, then its result. For organizers only, like every organizer page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kbio.events.models import Event
from kbio.events.notifications import schedule_not_received
from kbio.jobs import in_process
from kbio.jobs import work as jobs
from kbio.jobs.models import Job, JobKind
from kbio.organizer.views import event_or_404, job_context, organizer_required

from . import page as page_data
from .service import SCHEDULABLE


def _latest_job(event: Event) -> Job | None:
    return (
        Job.objects.filter(
            event=event, kind__in=[JobKind.SCHEDULE, JobKind.PUBLISH, JobKind.RESEND]
        )
        .select_related("event")
        .first()
    )


@organizer_required
@require_safe
def schedule_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    page = page_data.load(event)
    job = _latest_job(event)
    missing = schedule_not_received(event) if event.status == Event.Status.PUBLISHED else []
    return render(
        request,
        "scheduling/schedule.html",
        {
            "event": event,
            "page": page,
            "can_run": event.status in SCHEDULABLE,
            "can_publish": event.status in (Event.Status.SCHEDULED, Event.Status.PUBLISHED)
            and (page.unpublished > 0 or event.status == Event.Status.SCHEDULED),
            "grid_max_tables": page_data.GRID_MAX_TABLES,
            "not_received": len(missing),
            # Without a worker the run happens in the request, with a smaller budget.
            "jobs_in_process": in_process(),
            **job_context(job, request.path),
        },
    )


def _start(request: HttpRequest, kind: str, event: Event, options: dict | None = None) -> None:
    try:
        job = jobs.start(kind, event=event, by=request.user, options=options)
    except jobs.JobRefused as exc:
        messages.error(request, str(exc))
        return
    if job.active:
        messages.info(request, _("Started. This page shows the progress and the result."))


@organizer_required
@require_POST
def schedule_run(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    dry_run = request.POST.get("mode") == "dry-run"
    _start(request, JobKind.SCHEDULE, event, {"dry_run": dry_run})
    return redirect("organizer:schedule", event.slug)


@organizer_required
@require_POST
def schedule_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    _start(request, JobKind.PUBLISH, event)
    return redirect("organizer:schedule", event.slug)


@organizer_required
@require_POST
def schedule_resend(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the schedule email again to the participants whose last one failed."""
    event = event_or_404(slug)
    if event.status != Event.Status.PUBLISHED or not schedule_not_received(event):
        messages.info(request, _("Every participant has been sent the schedule email."))
    else:
        _start(request, JobKind.RESEND, event)
    return redirect("organizer:schedule", event.slug)
