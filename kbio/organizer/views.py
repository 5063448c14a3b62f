"""Organizer pages: the event dashboard, the request window, imports, exports and outcomes.

For the organizers only (`runs_events`: staff in the "Organizers" group, or a superuser; the
staff flag alone is not enough). An anonymous visitor is sent to the login page; anyone else
logged in gets a 404, the same answer as for a page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_countries import countries

from kbio.core.validators import LARGEST_INTEGER, whole_number
from kbio.directory.models import (
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    Relationship,
    ServiceCapability,
)
from kbio.events import services as event_services
from kbio.events.models import DeclineReason, Event, Meeting, RequestStatus, runs_events
from kbio.jobs import work as jobs
from kbio.jobs.models import Job, JobKind, JobState
from kbio.lib import charts, spine
from kbio.outcomes.models import OutcomeStage

from . import dashboard, exports, services
from .csvfiles import ImportRefused
from .forms import CsvUploadForm, FewerThanForm


def organizer_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not runs_events(request.user):
            raise Http404("Organizer pages are for the organizers.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def event_or_404(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- overview pages ---------------------------------------------------------------------------


@organizer_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    events = Event.objects.annotate(
        first_start=Min("sessions__starts_at"),
        participant_count=Count("participations", distinct=True),
    ).order_by("-first_start", "name")
    request_counts = dict(
        Event.objects.annotate(n=Count("requests")).values_list("pk", "n").order_by()
    )
    rows = [(event, request_counts.get(event.pk, 0)) for event in events]
    return render(request, "organizer/index.html", {"rows": rows})


@organizer_required
@require_safe
def data(request: HttpRequest) -> HttpResponse:
    events = Event.objects.annotate(first_start=Max("sessions__starts_at")).order_by(
        "-first_start", "name"
    )
    return render(
        request,
        "organizer/data.html",
        {
            "events": events,
            "organization_count": Organization.objects.count(),
            "criteria_count": sum(
                model.objects.count()
                for model in (
                    Interest,
                    Exclusion,
                    InvestorMandate,
                    ServiceCapability,
                    Relationship,
                )
            ),
        },
    )


# --- the dashboard ----------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _funnel_label(step: tuple[str, ...]) -> str:
    labels = {
        (spine.FOLLOW_UP, spine.NDA_CDA): _("Follow-up or NDA/CDA"),
        (spine.VERIFICATION,): _("Verification"),
        (spine.JOINT_RND,): _("Joint R&D"),
        (spine.INVESTMENT,): _("Investment"),
        (spine.NONCLINICAL, spine.CLINICAL): _("Non-clinical or clinical study"),
        (spine.LICENSING,): _("Licensing deal"),
    }
    return labels[step]


@dataclass(frozen=True)
class Chart:
    """A drawn chart and its title, for a visible caption next to the picture."""

    title: str
    svg: str


def _chart(draw: Callable[..., str], chart_id: str, title: str, *args, **kwargs) -> Chart:
    # The chart helper escapes every text it draws.
    return Chart(title, mark_safe(draw(chart_id, title, *args, **kwargs)))  # noqa: S308


def _charts(figures: dashboard.Figures) -> dict[str, Chart]:
    kinds = dict(Organization.Kind.choices)
    statuses = dict(RequestStatus.choices)
    reasons = dict(DeclineReason.choices)
    stages = dict(OutcomeStage.choices)
    found = {
        "by_kind": _chart(
            charts.bar_chart,
            "chart-kind",
            _("Registrations by kind"),
            [charts.Bar(str(kinds[kind]), n) for kind, n in figures.by_kind],
            empty_text=_("Nobody has registered yet."),
        ),
        "by_country": _chart(
            charts.bar_chart,
            "chart-country",
            _("Registrations by country"),
            [charts.Bar(str(countries.name(code) or code), n) for code, n in figures.by_country],
            empty_text=_("Nobody has registered yet."),
            colour=charts.COLOURS[2],
        ),
        "requests": _chart(
            charts.bar_chart,
            "chart-requests",
            _("Meeting requests by status"),
            [
                charts.Bar(str(statuses[status]), n, f"{n} ({_percent(n, figures.requests_total)})")
                for status, n in figures.requests_by_status.items()
            ]
            if figures.requests_total
            else [],
            empty_text=_("No meeting requests yet."),
        ),
        "reasons": _chart(
            charts.bar_chart,
            "chart-reasons",
            _("Decline reasons"),
            [charts.Bar(str(reasons[code]), n) for code, n in figures.decline_reasons],
            empty_text=_("No request has been declined."),
            colour=charts.COLOURS[4],
        ),
        "distribution": _chart(
            charts.column_chart,
            "chart-distribution",
            _("Meetings per participant"),
            [
                charts.Bar(
                    str(meetings),
                    n,
                    note=ngettext(
                        "%(n)d participant with %(m)d meetings",
                        "%(n)d participants with %(m)d meetings",
                        n,
                    )
                    % {"n": n, "m": meetings},
                )
                for meetings, n in figures.distribution
            ],
            x_title=_("Accepted meetings"),
            y_title=_("Participants"),
            empty_text=_("Nobody has registered yet."),
        ),
        "funnel": _chart(
            charts.bar_chart,
            "chart-funnel",
            _("What the meetings led to"),
            [
                charts.Bar(
                    _("Pairs that met"),
                    figures.pairs_met,
                    note=_("pairs of organizations whose meeting has taken place"),
                )
            ]
            + [
                charts.Bar(
                    _funnel_label(step),
                    n,
                    f"{n} ({_percent(n, figures.pairs_met)})",
                    note=_("pairs that reached this stage or went further"),
                )
                for step, n in figures.funnel
            ],
            empty_text="",
            colour=charts.COLOURS[2],
        ),
        "current": _chart(
            charts.bar_chart,
            "chart-current",
            _("Where the pairs stand now"),
            [charts.Bar(str(stages[stage]), n) for stage, n in figures.current_stages],
            empty_text=_("No outcome has been recorded yet."),
            colour=charts.COLOURS[3],
        ),
    }
    kind_titles = dict(FocusArea.Kind.choices)
    science = (_("Pharma and investors seeking it"), _("Developers offering it"))
    series = {
        FocusArea.Kind.MODALITY: science,
        FocusArea.Kind.THERAPEUTIC_AREA: science,
        FocusArea.Kind.SERVICE: (
            _("Developers whose next step needs it"),
            _("Providers offering it"),
        ),
    }
    for kind, rows in figures.balances.items():
        found[f"balance_{kind}"] = _chart(
            charts.paired_bar_chart,
            f"chart-balance-{kind}",
            _("Supply and demand: %(kind)s") % {"kind": kind_titles[kind]},
            [charts.PairRow(row.name, (row.seek, row.offer)) for row in rows],
            series=series[kind],
            empty_text=_("No participant names any of these."),
        )
    return found


@organizer_required
@require_safe
def event_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    form = FewerThanForm(request.GET if "fewer_than" in request.GET else None)
    fewer_than = dashboard.DEFAULT_FEWER_THAN
    if form.is_bound and form.is_valid():
        fewer_than = form.cleaned_data["fewer_than"]
    figures = dashboard.load(event, fewer_than=fewer_than, low_page=request.GET.get("page"))
    rate = figures.acceptance_rate
    return render(
        request,
        "organizer/dashboard.html",
        {
            "event": event,
            "figures": figures,
            "form": form if form.is_bound else FewerThanForm(),
            "charts": _charts(figures),
            "acceptance_percent": None if rate is None else round(100 * rate),
            "accepts_requests": event.accepts_requests(),
            "scheduled": event.status in (Event.Status.SCHEDULED, Event.Status.PUBLISHED),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- the request window -----------------------------------------------------------------------


@organizer_required
@require_POST
def window(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    event = event_or_404(slug)
    service = {
        "open": event_services.event_open_requests,
        "close": event_services.event_close_requests,
    }.get(action)
    if service is None:
        raise Http404("No such action.")
    try:
        service(event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Meeting requests are open.")
            if action == "open"
            else _("Meeting requests are closed."),
        )
    if request.POST.get("next") == "schedule":
        return redirect("organizer:schedule", event.slug)
    return redirect("organizer:dashboard", event.slug)


# --- jobs -------------------------------------------------------------------------------------

# The scheduler, publishing, resending and large imports run as background jobs (kbio/jobs/):
# the buttons answer at once and the page shows the job's progress, then its result. The
# schedule page and its buttons are in kbio/scheduling/views.py.


def job_summary(job: Job) -> str:
    """What a finished job did, in the reader's language."""
    result = job.result
    if job.state != JobState.DONE:
        return ""
    if job.kind == JobKind.SCHEDULE:
        text = ngettext(
            "%(placed)d of %(requested)d meeting placed.",
            "%(placed)d of %(requested)d meetings placed.",
            result.get("requested", 0),
        ) % {"placed": result.get("placed", 0), "requested": result.get("requested", 0)}
        if result.get("dry_run"):
            return text + " " + _("Trial run: the schedule was not changed.")
        return text + " " + _("Participants see it once you publish the schedule.")
    if job.kind == JobKind.PUBLISH:
        return ngettext(
            "Published %(n)d meeting; %(emails)d agenda emails are on their way.",
            "Published %(n)d meetings; %(emails)d agenda emails are on their way.",
            result.get("published", 0),
        ) % {"n": result.get("published", 0), "emails": result.get("emails", 0)}
    if job.kind == JobKind.RESEND:
        return ngettext(
            "The schedule email was sent again to %(n)d participant.",
            "The schedule email was sent again to %(n)d participants.",
            result.get("participants", 0),
        ) % {"n": result.get("participants", 0)}
    if job.kind == JobKind.IMPORT:
        return _result_message(
            services.ImportResult(
                created=result.get("created", 0),
                updated=result.get("updated", 0),
                unchanged=result.get("unchanged", 0),
            )
        )
    return ""


def job_context(job: Job | None, back: str) -> dict:
    return {
        "job": job,
        "job_summary": job_summary(job) if job else "",
        "job_errors": job.result.get("errors", []) if job else [],
        "job_back": back,
    }


@organizer_required
@require_safe
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's status as a fragment, for the page that polls it (static/js/jobs.js)."""
    if pk > LARGEST_INTEGER:
        raise Http404("No such job.")
    job = get_object_or_404(Job.objects.select_related("event"), pk=pk)
    back = request.GET.get("back", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    response = render(request, "organizer/_job.html", job_context(job, back))
    response["Cache-Control"] = "no-store"
    return response


# --- exports ----------------------------------------------------------------------------------


@organizer_required
@require_safe
def organizations_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return _csv_response(exports.organizations_csv(), f"organizations-{today:%Y%m%d}.csv")


@organizer_required
@require_safe
def criteria_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return _csv_response(exports.criteria_csv(), f"partnering-criteria-{today:%Y%m%d}.csv")


@organizer_required
@require_safe
def requests_export(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    return _csv_response(exports.requests_csv(event), f"{event.slug}-requests.csv")


@organizer_required
@require_safe
def schedule_export(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    return _csv_response(exports.schedule_csv(event), f"{event.slug}-schedule.csv")


@organizer_required
@require_safe
def outcomes_export(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    return _csv_response(exports.outcomes_csv(event), f"{event.slug}-outcomes.csv")


# --- imports ----------------------------------------------------------------------------------


def _result_message(result: services.ImportResult) -> str:
    return _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def _import_page(
    request: HttpRequest,
    *,
    template: str,
    context: dict,
    run,
    subject: str,
    event: Event | None = None,
) -> HttpResponse:
    """An import page: a small file is imported in the request; one over IMPORT_JOB_BYTES
    becomes a background job, and the page shows its progress and result."""
    posted = request.method == "POST"
    form = CsvUploadForm(request.POST if posted else None, request.FILES if posted else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_JOB_BYTES:
            job = jobs.start(
                JobKind.IMPORT, event=event, by=request.user, subject=subject, payload=upload.read()
            )
            if job.active:
                messages.info(request, _("Started. This page shows the progress and the result."))
            return redirect(f"{request.path}?job={job.pk}")
        try:
            result = run(upload.read())
        except ImportRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _result_message(result))
            return redirect(request.path)
    job = None
    job_id = whole_number(request.GET.get("job", ""))
    if job_id is not None:
        job = Job.objects.filter(
            pk=job_id, kind=JobKind.IMPORT, subject=subject, event=event
        ).first()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "errors": errors,
            **job_context(job, request.get_full_path()),
        },
        status=status,
    )


@organizer_required
def organizations_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        template="organizer/import_organizations.html",
        context={"columns": exports.ORGANIZATION_COLUMNS},
        run=lambda data: services.organizations_import(data=data),
        subject="organizations",
    )


@organizer_required
def criteria_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        template="organizer/import_criteria.html",
        context={},
        run=lambda data: services.criteria_import(data=data),
        subject="criteria",
    )


@organizer_required
def requests_import(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug)
    return _import_page(
        request,
        template="organizer/import_requests.html",
        context={"event": event},
        run=lambda data: services.meeting_requests_import(event=event, data=data, by=request.user),
        subject="requests",
        event=event,
    )


# --- outcomes ---------------------------------------------------------------------------------


@organizer_required
@require_safe
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    """The meetings that have taken place, each with where its collaboration stands."""
    event = event_or_404(slug)
    meetings = list(
        Meeting.objects.of_event(event)
        .filter(is_published=True, slot__starts_at__lte=timezone.now())
        .select_related(
            "slot", "table", "request__requester__organization", "request__recipient__organization"
        )
        .prefetch_related("request__outcomes")
        .order_by("slot__starts_at", "table__number")
    )
    rows = []
    for meeting in meetings:
        history = sorted(
            meeting.request.outcomes.all(), key=lambda o: (o.on, o.created, o.pk), reverse=True
        )
        rows.append({"meeting": meeting, "current": history[0] if history else None})
    recorded = sum(1 for row in rows if row["current"])
    return render(
        request,
        "organizer/outcomes.html",
        {"event": event, "rows": rows, "recorded": recorded, "unrecorded": len(rows) - recorded},
    )
