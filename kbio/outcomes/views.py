"""The outcome page of one meeting: its history and a form to add where things stand now.

The two organizations of the meeting reach it from their agenda or the request page; the
organizer (staff) from the dashboard. Anyone else gets a 404, as for any other organization's
request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kbio.accounts.access import get_for_organization_or_404, organization_of, posts_need_editor
from kbio.events.models import Event, MeetingRequest, RequestStatus, runs_events

from . import services
from .forms import OutcomeForm


def _meeting_for(request: HttpRequest, event: Event, pk: int):
    """(the accepted request, the side the user speaks for or None for the organizer)."""
    organization = organization_of(request)
    requests = MeetingRequest.objects.filter(
        event=event, status=RequestStatus.ACCEPTED
    ).select_related(
        "event",
        "requester__organization",
        "recipient__organization",
        "asset",
        "meeting__slot",
        "meeting__table",
    )
    if runs_events(request.user):
        meeting_request = get_object_or_404(requests, pk=pk)
    else:
        if event.status == Event.Status.DRAFT:
            raise Http404("No such event.")
        meeting_request = get_for_organization_or_404(requests, organization, pk=pk)
    sides = {
        meeting_request.requester.organization_id: meeting_request.requester,
        meeting_request.recipient.organization_id: meeting_request.recipient,
    }
    mine = sides.get(organization.pk) if organization else None
    return meeting_request, mine


@login_required
@posts_need_editor
def record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    meeting_request, mine = _meeting_for(request, event, pk)
    meeting = services.held_meeting(meeting_request)
    today = timezone.localtime(timezone.now(), event.tzinfo).date()
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(
                meeting_request=meeting_request,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                by=request.user,
                side=mine.organization if mine else None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect("outcomes:record", event.slug, meeting_request.pk)
    history = list(meeting_request.outcomes.history().select_related("side").reverse())
    other = None
    if mine is not None:
        other = meeting_request.other_side(mine)
    return render(
        request,
        "outcomes/record.html",
        {
            "event": event,
            "r": meeting_request,
            "mine": mine,
            "other": other,
            "meeting": meeting,
            "scheduled": getattr(meeting_request, "meeting", None),
            "history": history,
            "current": history[0] if history else None,
            "form": form,
            "as_organizer": mine is None,
        },
        status=400 if request.method == "POST" else 200,
    )
