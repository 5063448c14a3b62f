"""The event's schedule: accepted requests into slots and tables, then published.

`schedule_event` loads an event in a fixed number of queries, hands it to the pure scheduler
(`kbio.scheduling.solver`), and replaces the event's unpublished meetings with the result; the
published ones are pinned and keep their slot and table. `publish_schedule` makes every placed
meeting visible to its two participants and emails them their agenda.

The organizer page, the `schedule_meetings` command and the bench all go through these two
functions. A meeting the database would refuse (a participant booked twice in a slot, a table
taken) cannot come out of here: the scheduler keeps the rules, and the triggers of migrations
0003 and 0007 refuse anything that does not, whichever of the meeting and its request changes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kbio.events import notifications, pairs
from kbio.events.models import (
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    RequestStatus,
    ScheduleRun,
    Table,
    TimeSlot,
)
from kbio.scheduling import solver as scheduler

from .report import WITHDRAWN, RunReport, Unplaced

# Events in these states can be scheduled: requests are closed, so nobody changes an answer
# while the scheduler works; a published event can be scheduled again for meetings added since
# (published meetings stay where they are).
SCHEDULABLE = (EventStatus.CLOSED, EventStatus.SCHEDULED, EventStatus.PUBLISHED)

Progress = Callable[[str], None]


@dataclass
class Loaded:
    """An event as the scheduler sees it, with what is needed to write the result back."""

    problem: scheduler.Problem
    # request id -> (requester participation id, recipient participation id)
    sides: dict[int, tuple[int, int]]
    # request id of a second accepted request between the same two participants -> the
    # request whose meeting covers both
    twins: dict[int, int]
    pinned: int


def _priorities(org_pairs: dict[int, tuple[int, int]]) -> dict[int, float]:
    """The match score (0–100) of each request's two organizations (given by id): when not
    every meeting fits, the better matches are placed first. Organizations the matching index
    does not know (switched off in the directory) and pairs it never suggests weigh 0."""
    from kbio.matching.index import current_index
    from kbio.matching.models import MatchingProfile

    index = current_index()
    weights = MatchingProfile.objects.weights()
    orgs = index.orgs
    row_of = index.engine.row_of
    by_viewer: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for request_id, (a, b) in org_pairs.items():
        by_viewer[a].append((request_id, row_of.get(b)))
    found: dict[int, float] = {}
    for viewer_key, wanted in by_viewer.items():
        viewer_row = row_of.get(viewer_key)
        rows = [row for _, row in wanted if row is not None]
        if viewer_row is None or not rows:
            continue
        mask = np.zeros(len(orgs), dtype=bool)
        mask[rows] = True
        scores = index.engine.scores(viewer_row, weights, candidates=mask)
        for request_id, row in wanted:
            if row is not None:
                found[request_id] = max(0.0, float(scores[row]))
    return found


def load(event: Event, *, with_priorities: bool = True) -> Loaded:
    """The event's slots, tables, participants, accepted requests and published meetings."""
    tz = event.tzinfo
    slots = [
        scheduler.Slot(id=pk, day=timezone.localtime(starts_at, tz).date(), session=session_id)
        for pk, starts_at, session_id in TimeSlot.objects.of_event(event)
        .order_by("starts_at")
        .values_list("pk", "starts_at", "session_id")
    ]
    tables = list(Table.objects.filter(event=event).order_by("number").values_list("pk", "host_id"))
    host_tables: dict[int, list[int]] = defaultdict(list)
    for table_id, host_id in tables:
        if host_id is not None:
            host_tables[host_id].append(table_id)
    blocked: dict[int, set[int]] = defaultdict(set)
    for participation_id, slot_id in Participation.blocked_slots.through.objects.filter(
        participation__event=event
    ).values_list("participation_id", "timeslot_id"):
        blocked[participation_id].add(slot_id)
    participants = []
    for pk, capacity, name in Participation.objects.filter(event=event).values_list(
        "pk", "capacity", "organization__name"
    ):
        participants.append(
            scheduler.Participant(
                id=pk,
                capacity=capacity,
                blocked=frozenset(blocked[pk]),
                tables=tuple(host_tables[pk]),
                name=name,
            )
        )
    # Accepted requests, and any request whose meeting is already on a published agenda
    # (whatever became of the request since: only the organizer takes a published meeting off).
    accepted = list(
        MeetingRequest.objects.filter(event=event)
        .filter(Q(status=RequestStatus.ACCEPTED) | Q(meeting__is_published=True))
        .order_by("pk")
        .values_list(
            "pk",
            "requester_id",
            "recipient_id",
            "requester__organization_id",
            "recipient__organization_id",
        )
    )
    published = {
        request_id: (slot_id, table_id)
        for request_id, slot_id, table_id in Meeting.objects.filter(
            request__event=event, is_published=True
        ).values_list("request_id", "slot_id", "table_id")
    }
    # Both asked each other and both said yes: one meeting covers the two requests.
    folded = pairs.fold(
        pairs.RequestRow(pk, requester, recipient, pk in published)
        for pk, requester, recipient, _a, _b in accepted
    )
    organizations = {pk: (a, b) for pk, _r, _c, a, b in accepted}
    sides = {row.pk: (row.requester, row.recipient) for row in folded.kept}
    priorities = {}
    if with_priorities:
        priorities = _priorities({row.pk: organizations[row.pk] for row in folded.kept})
    meetings = [
        scheduler.Meeting(id=pk, a=a, b=b, priority=priorities.get(pk, 0.0))
        for pk, (a, b) in sides.items()
    ]
    pinned = [
        scheduler.Pinned(meeting=request_id, slot=slot_id, table=table_id)
        for request_id, (slot_id, table_id) in published.items()
        if request_id in sides
    ]
    problem = scheduler.Problem(
        slots=slots,
        tables=[table_id for table_id, _host in tables],
        participants=participants,
        meetings=meetings,
        pinned=pinned,
    )
    return Loaded(problem=problem, sides=sides, twins=folded.twins, pinned=len(pinned))


def _refuse_unless_schedulable(event: Event) -> None:
    if event.status in SCHEDULABLE:
        return
    if event.status == EventStatus.OPEN:
        message = _(
            "%(event)s is still taking meeting requests. Close requests first, so that nobody "
            "changes an answer while the schedule is made."
        )
    else:
        message = _("%(event)s is a draft: open it for requests and close them first.")
    raise ValidationError(message % {"event": event.name}, code="status")


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def schedule_event(
    *,
    event: Event,
    by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    options: scheduler.Options | None = None,
    progress: Progress | None = None,
    solving: Callable[[float], None] | None = None,
) -> tuple[ScheduleRun, scheduler.Result]:
    """Place the event's accepted requests; unless `dry_run`, replace its unpublished meetings.

    `progress` is told each step in words; `solving`, the share of the solver's work done.

    The event row stays locked from loading to saving, so two organizers cannot schedule the
    same event at once, and the run is all or nothing: if anything fails, the previous
    schedule is still there.
    """
    _refuse_unless_schedulable(event)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _refuse_unless_schedulable(event)
        _say(progress, _("Loading the event…"))
        loaded = load(event)
        problem = loaded.problem
        _say(
            progress,
            _(
                "%(slots)d slots, %(tables)d tables, %(participants)d participants, "
                "%(meetings)d meetings to place (%(pinned)d published, kept in place)."
            )
            % {
                "slots": len(problem.slots),
                "tables": len(problem.tables),
                "participants": len(problem.participants),
                "meetings": len(problem.meetings),
                "pinned": loaded.pinned,
            },
        )
        _say(progress, _("Scheduling…"))
        try:
            options = options or scheduler.Options()
            if solving is not None:
                options = dataclasses.replace(options, progress=solving)
            result = scheduler.schedule(problem, options)
        except scheduler.SchedulingInputError as exc:
            raise ValidationError(str(exc), code="input") from exc
        report = result.report
        run_report = RunReport.of_result(report, loaded.twins)
        run = ScheduleRun(
            event=event,
            run_by=by,
            saved=not dry_run,
            requested=report.requested,
            placed=report.placed,
            kept=loaded.pinned,
            upper_bound=report.upper_bound,
            breaks=report.breaks,
            worst_breaks=report.worst_breaks,
            seconds=round(report.seconds, 3),
            details=run_report.to_json(),
        )
        if dry_run:
            run.save()
            return run, result
        _say(progress, _("Saving %(n)d meetings…") % {"n": len(result.placements)})
        # Published meetings are pinned, so they come back at the same slot and table and
        # stay untouched; everything else is replaced.
        Meeting.objects.filter(request__event=event, is_published=False).delete()
        kept = set(
            Meeting.objects.filter(request__event=event, is_published=True).values_list(
                "request_id", flat=True
            )
        )
        # Lock the requests about to be placed. One withdrawn while the scheduler ran is left
        # out and listed; a participant withdrawing one now waits for this run to be saved
        # (and then finds the event scheduled).
        placements = {
            request_id: spot
            for request_id, spot in result.placements.items()
            if request_id not in kept
        }
        still_accepted = set(
            MeetingRequest.objects.select_for_update()
            .filter(pk__in=list(placements), status=RequestStatus.ACCEPTED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        withdrawn = sorted(set(placements) - still_accepted)
        if withdrawn:
            for request_id in withdrawn:
                del placements[request_id]
            run.placed -= len(withdrawn)
            run_report.unplaced.extend(Unplaced(request_id, WITHDRAWN) for request_id in withdrawn)
            run.details = run_report.to_json()
        try:
            with transaction.atomic():
                Meeting.objects.bulk_create(
                    [
                        Meeting(
                            request_id=request_id,
                            requester_id=loaded.sides[request_id][0],
                            recipient_id=loaded.sides[request_id][1],
                            slot_id=slot_id,
                            table_id=table_id,
                        )
                        for request_id, (slot_id, table_id) in placements.items()
                    ],
                    batch_size=2000,
                )
        except IntegrityError as exc:
            # Only a change made by hand while the scheduler ran can get here (a request
            # cancelled in the admin, say); the whole run is undone.
            raise ValidationError(
                _("The event changed while the scheduler ran; nothing was saved. Run it again."),
                code="changed",
            ) from exc
        if event.status == EventStatus.CLOSED:
            event.status = EventStatus.SCHEDULED
            event.save(update_fields=["status", "updated"])
        run.save()
    return run, result


def publish_schedule(*, event: Event, notify: bool = True) -> int:
    """Show every placed meeting to its participants and email them (unless `notify` is off:
    the publish job writes the emails itself, with progress); returns how many meetings were
    newly published."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status not in (EventStatus.SCHEDULED, EventStatus.PUBLISHED):
            raise ValidationError(
                _("Run the scheduler before publishing %(event)s.") % {"event": event.name},
                code="status",
            )
        waiting = Meeting.objects.filter(request__event=event, is_published=False)
        count = waiting.update(is_published=True, updated=timezone.now())
        if count == 0 and event.status == EventStatus.PUBLISHED:
            raise ValidationError(
                _("Every placed meeting of %(event)s is already published.")
                % {"event": event.name},
                code="nothing",
            )
        event.status = EventStatus.PUBLISHED
        event.save(update_fields=["status", "updated"])
        if notify:
            transaction.on_commit(lambda: notifications.send_schedule_published(event))
    return count
