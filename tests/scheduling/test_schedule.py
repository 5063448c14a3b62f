"""The organizer makes and publishes the schedule: the K-Bio 2025 fixture event end to end, the
rules on when it may run, trial runs, re-runs that keep published meetings, and what the page
says about meetings that could not be placed."""

import json
from collections import Counter
from html import escape
from io import StringIO

import numpy as np
import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from icalendar import Calendar

from kbio.directory.models import FocusArea, Interest
from kbio.events.models import (
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    ScheduleRun,
)
from kbio.matching.index import current_index
from kbio.matching.models import MatchingProfile
from kbio.matching.services import match_index_invalidate
from kbio.scheduling import service as scheduling
from tests.events.factories import MeetingRequestFactory, delegate

pytestmark = pytest.mark.django_db

VENTURES = ("cefobio", "ips-bio", "markherz")
PHARMA = ("takeda", "astellas", "johnson-johnson-japan", "eli-lilly-japan")


@pytest.fixture
def kbio2025(db):
    """The real fixture event, requests closed, with every venture–pharma pair accepted (the
    fixture itself names no pairs: who met whom is not public)."""
    call_command("loaddata", "taxonomy", "organizations", "kbio2025", verbosity=0)
    event = Event.objects.get(slug="kbio-2025")
    assert event.status == EventStatus.CLOSED
    part = {p.organization.slug: p for p in event.participations.select_related("organization")}
    for venture in VENTURES:
        for pharma in PHARMA:
            MeetingRequestFactory(
                event=event, requester=part[venture], recipient=part[pharma], status="accepted"
            )
    event.part = part
    return event


def run(client, event, mode="run"):
    return client.post(reverse("organizer:schedule_run", args=[event.slug]), {"mode": mode})


def page(client, event) -> str:
    return client.get(reverse("organizer:schedule", args=[event.slug])).content.decode()


def test_kbio_2025_is_scheduled_and_published_from_the_organizer_page(
    staff, kbio2025, django_capture_on_commit_callbacks
):
    response = run(staff, kbio2025)
    assert response.status_code == 302
    kbio2025.refresh_from_db()
    assert kbio2025.status == EventStatus.SCHEDULED
    meetings = list(Meeting.objects.select_related("table__host", "slot"))
    assert len(meetings) == 12
    # Nobody twice in a slot; every pharma host meets at its own fixed table.
    seen = Counter()
    for m in meetings:
        seen[m.requester_id, m.slot_id] += 1
        seen[m.recipient_id, m.slot_id] += 1
        assert m.table.host_id in (m.requester_id, m.recipient_id)
    assert max(seen.values()) == 1
    html = page(staff, kbio2025)
    assert "12 / 12" in html
    assert "Every accepted meeting is placed." in html
    assert "12 meetings are waiting to be published." in html
    # Not visible to participants before publishing.
    assert not Meeting.objects.filter(is_published=True).exists()

    # CEFObio's business developer has a login (the fixture holds no people).
    user, _contact = delegate(kbio2025.part["cefobio"].organization, username="cefo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("organizer:schedule_publish", args=[kbio2025.slug]))
    assert response.status_code == 302
    kbio2025.refresh_from_db()
    assert kbio2025.status == EventStatus.PUBLISHED
    assert Meeting.objects.filter(is_published=True).count() == 12
    assert "Every placed meeting is on the participants" in page(staff, kbio2025)
    # The delegate is emailed the agenda with a calendar of its four meetings.
    (email,) = [m for m in mail.outbox if user.email in m.to]
    (attachment,) = email.attachments
    assert len(Calendar.from_ical(attachment[1]).walk("VEVENT")) == 4

    # The agenda shows four meetings with times in Tokyo and tables; so does the calendar file.
    staff.force_login(user)
    agenda = staff.get(reverse("events:agenda", args=[kbio2025.slug])).content.decode()
    own = Meeting.objects.filter(requester=kbio2025.part["cefobio"]).select_related("slot", "table")
    assert own.count() == 4
    for m in own:
        local = m.slot.starts_at.astimezone(kbio2025.tzinfo)
        assert f"{local:%H:%M}–" in agenda
        assert str(m.table) in agenda
    ics = staff.get(reverse("events:agenda_ics", args=[kbio2025.slug]))
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == sorted(m.slot.starts_at for m in own)
    assert {str(e["location"]).split(",")[0] for e in events} == {str(m.table) for m in own}


def test_scheduling_waits_until_requests_are_closed(staff, kbio2025):
    Event.objects.filter(pk=kbio2025.pk).update(status=EventStatus.OPEN)
    response = run(staff, kbio2025)
    assert response.status_code == 302
    html = page(staff, kbio2025)
    assert "still taking meeting requests. Close requests first" in html
    assert not Meeting.objects.exists()
    assert not ScheduleRun.objects.exists()
    # Closing from the schedule page comes back to it.
    response = staff.post(
        reverse("organizer:window", args=[kbio2025.slug, "close"]), {"next": "schedule"}
    )
    assert response["Location"] == reverse("organizer:schedule", args=[kbio2025.slug])


def test_publishing_before_the_scheduler_ran_is_refused(staff, kbio2025):
    staff.post(reverse("organizer:schedule_publish", args=[kbio2025.slug]))
    kbio2025.refresh_from_db()
    assert kbio2025.status == EventStatus.CLOSED
    assert "Run the scheduler before publishing" in page(staff, kbio2025)


def test_a_trial_run_changes_nothing_but_shows_its_figures(staff, kbio2025):
    run(staff, kbio2025, mode="dry-run")
    kbio2025.refresh_from_db()
    assert kbio2025.status == EventStatus.CLOSED
    assert not Meeting.objects.exists()
    latest = ScheduleRun.objects.get()
    assert (latest.saved, latest.placed, latest.requested) == (False, 12, 12)
    assert "trial run, nothing saved" in page(staff, kbio2025)


def test_a_new_run_keeps_published_meetings_and_places_new_ones(staff, kbio2025):
    run(staff, kbio2025)
    staff.post(reverse("organizer:schedule_publish", args=[kbio2025.slug]))
    before = dict(Meeting.objects.values_list("request_id", "slot_id"))
    tables_before = dict(Meeting.objects.values_list("request_id", "table_id"))
    mail.outbox.clear()
    # The organizer adds a late meeting between two pharma companies by hand.
    late = MeetingRequestFactory(
        event=kbio2025,
        requester=kbio2025.part["takeda"],
        recipient=kbio2025.part["astellas"],
        status="accepted",
    )
    run(staff, kbio2025)
    assert dict(Meeting.objects.exclude(request=late).values_list("request_id", "slot_id")) == (
        before
    )
    assert (
        dict(Meeting.objects.exclude(request=late).values_list("request_id", "table_id"))
        == tables_before
    )
    added = Meeting.objects.get(request=late)
    assert not added.is_published
    assert ScheduleRun.objects.first().kept == 12
    html = page(staff, kbio2025)
    assert "1 meeting is waiting to be published." in html
    staff.post(reverse("organizer:schedule_publish", args=[kbio2025.slug]))
    added.refresh_from_db()
    assert added.is_published


@pytest.mark.parametrize("host", PHARMA)
def test_when_a_host_has_one_free_slot_its_best_match_gets_it(staff, kbio2025, host):
    """The host blocks all but one slot: of the three ventures it accepted, the one the
    matching ranks highest with it is placed; the page says why the other two are not."""
    takeda = kbio2025.part[host]
    looks_for_aav(takeda.organization)
    slots = list(kbio2025.sessions.filter(kind="partnering").values_list("slots", flat=True))
    takeda.blocked_slots.set(sorted(slots)[1:])
    index = current_index()
    weights = MatchingProfile.objects.weights()
    viewer = index.by_slug[host]
    scores = index.engine.scores(index.row(viewer), weights)
    row = index.engine.row_of
    by_venture = {slug: scores[row[kbio2025.part[slug].organization_id]] for slug in VENTURES}
    best = max(by_venture, key=by_venture.get)
    assert best == "markherz"
    assert np.isclose(sorted(by_venture.values())[-1], by_venture[best])
    assert sorted(by_venture.values())[-2] < by_venture[best], "the test needs a clear best"

    run(staff, kbio2025)
    placed = Meeting.objects.filter(recipient=takeda).select_related("requester__organization")
    assert [m.requester.organization.slug for m in placed] == [best]
    html = page(staff, kbio2025)
    assert "2 meetings could not be placed" in html
    assert escape(takeda.organization.name) in html
    assert "has 3 accepted meetings but room for 1 in the slots it is free in" in html
    assert "Participants with fewer meetings than they accepted" in html


def test_each_meeting_weighs_its_pairs_match_score(kbio2025):
    """The scheduler's priorities are the two organizations' match scores, so a host that
    cannot take every meeting keeps its better matches (the test above, end to end)."""
    looks_for_aav(kbio2025.part["astellas"].organization)
    loaded = scheduling.load(kbio2025)
    index = current_index()
    weights = MatchingProfile.objects.weights()
    row = index.engine.row_of
    org_of = {p.pk: p.organization_id for p in kbio2025.part.values()}
    assert len(loaded.problem.meetings) == 12
    for meeting in loaded.problem.meetings:
        viewer = index.by_slug[_slug(kbio2025, meeting.a)]
        scores = index.engine.scores(index.row(viewer), weights)
        assert meeting.priority == pytest.approx(max(0.0, scores[row[org_of[meeting.b]]]))
    weighed = {
        (_slug(kbio2025, m.a), _slug(kbio2025, m.b)): m.priority for m in loaded.problem.meetings
    }
    assert weighed[("markherz", "astellas")] > 0
    assert weighed[("cefobio", "astellas")] < weighed[("markherz", "astellas")]


def looks_for_aav(host):
    """The host looks for AAV gene therapy in cardiovascular disease: Markherz's field."""
    interest = Interest.objects.create(organization=host, slug="aav-cardio")
    interest.modalities.set([FocusArea.objects.get(slug="gene-therapy")])
    interest.therapeutic_areas.set([FocusArea.objects.get(slug="cardiovascular")])
    match_index_invalidate()


def _slug(event, participation_id):
    return next(s for s, p in event.part.items() if p.pk == participation_id)


def test_two_requests_between_the_same_pair_make_one_meeting(staff, kbio2025):
    back = MeetingRequestFactory(
        event=kbio2025,
        requester=kbio2025.part["takeda"],
        recipient=kbio2025.part["cefobio"],
        status="accepted",
    )
    run(staff, kbio2025)
    assert Meeting.objects.count() == 12
    assert not Meeting.objects.filter(request=back).exists()
    assert "both asked for a meeting and both accepted" in page(staff, kbio2025)
    staff.post(reverse("organizer:schedule_publish", args=[kbio2025.slug]))
    # Takeda's agenda shows the one meeting with CEFObio and nothing "to be announced".
    user, _contact = delegate(kbio2025.part["takeda"].organization, username="takeda-bd")
    staff.force_login(user)
    agenda = staff.get(reverse("events:agenda", args=[kbio2025.slug])).content.decode()
    assert "3 accepted meetings · 3 with time and table" in agenda
    assert "time to be announced" not in agenda
    assert agenda.count(">CEFObio</a>") == 1


def test_the_command_prints_the_report_as_json(kbio2025):
    out, err = StringIO(), StringIO()
    call_command("schedule_meetings", "kbio-2025", "--json", "--dry-run", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert report["requested"] == report["placed"] == report["upper_bound"] == 12
    assert report["unplaced"] == []
    assert report["dry_run"] is True
    assert "Loading the event" in err.getvalue()
    assert not Meeting.objects.exists()

    out = StringIO()
    call_command("schedule_meetings", "kbio-2025", "--publish", stdout=out, stderr=StringIO())
    assert "placed 12 of 12 meetings" in out.getvalue()
    assert Meeting.objects.filter(is_published=True).count() == 12


def test_the_command_refuses_an_unknown_event_or_an_open_one(kbio2025):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("schedule_meetings", "nope", stdout=StringIO(), stderr=StringIO())
    Event.objects.filter(pk=kbio2025.pk).update(status=EventStatus.OPEN)
    with pytest.raises(CommandError, match="Close requests first"):
        call_command("schedule_meetings", "kbio-2025", stdout=StringIO(), stderr=StringIO())
    assert not Meeting.objects.exists()


def test_the_admin_refuses_to_double_book_with_a_clear_message(kbio2025, admin_client):
    call_command("schedule_meetings", "kbio-2025", stdout=StringIO(), stderr=StringIO())
    cefo = kbio2025.part["cefobio"]
    first, second = Meeting.objects.filter(requester=cefo).order_by("slot__starts_at")[:2]
    response = admin_client.post(
        reverse("admin:events_meeting_change", args=[second.pk]),
        {
            "request": second.request_id,
            "slot": first.slot_id,
            "table": second.table_id,
            "is_published": "",
        },
    )
    assert response.status_code == 200
    assert "CEFObio already has a meeting in this slot." in response.content.decode()
    second.refresh_from_db()
    assert second.slot_id != first.slot_id


def test_an_event_without_tables_places_nothing_and_says_why(staff, kbio2025):
    """Everything stays as it was (requests, registrations) and the page names the cause."""
    kbio2025.tables.all().delete()
    run(staff, kbio2025)
    assert not Meeting.objects.exists()
    assert MeetingRequest.objects.filter(status="accepted").count() == 12
    assert Participation.objects.filter(event=kbio2025).count() == 7
    html = page(staff, kbio2025)
    assert "12 meetings could not be placed" in html
    assert "No table is free" in html


def test_the_page_says_whether_the_run_happens_in_the_background(staff, kbio2025):
    from kbio.celery import app

    # No worker (make run): the run happens in the request, with a smaller budget, so the
    # page points large events to the command line.
    assert "manage.py schedule_meetings" in page(staff, kbio2025)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # as with a broker and workers
    try:
        html = page(staff, kbio2025)
    finally:
        app.conf.task_always_eager = eager
    assert "manage.py schedule_meetings kbio-2025" not in html
    assert "It runs in the background with the full work budget" in html
