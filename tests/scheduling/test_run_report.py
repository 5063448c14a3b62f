"""A scheduler run is kept as a typed, versioned report of codes and ids: the schedule page
puts each note, warning and reason into words in the reader's language, and runs stored in
the first shape (English notes) still read."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from kbio.events.models import EventStatus, RequestStatus, ScheduleRun, TimeSlot
from kbio.scheduling import service as scheduling
from kbio.scheduling import solver as scheduler
from kbio.scheduling.report import (
    LEGACY_NOTE,
    VERSION,
    WITHDRAWN,
    Names,
    Note,
    RunReport,
    Twin,
    Unplaced,
    describe_note,
    describe_unplaced,
    reason_name,
)
from tests.events.factories import MeetingFactory, MeetingRequestFactory

pytestmark = pytest.mark.django_db


def schedule_page(staff, event) -> str:
    return staff.get(reverse("organizer:schedule", args=[event.slug])).content.decode()


@pytest.fixture
def published(event, alice, bob):
    """alice's accepted request to bob, its meeting published in the second slot; the event
    published."""
    request = MeetingRequestFactory(
        event=event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=request,
        slot=TimeSlot.objects.of_event(event)[1],
        table=event.tables.get(number=2),
        is_published=True,
    )
    event.status = EventStatus.PUBLISHED
    event.save()
    return request


def test_a_published_meeting_in_a_slot_blocked_since_is_noted_by_code_and_in_words(
    staff, event, alice, published
):
    slot = TimeSlot.objects.of_event(event)[1]
    alice.participation.blocked_slots.add(slot)
    run, _result = scheduling.schedule_event(event=event)

    details = run.details
    assert details["version"] == VERSION
    assert details["notes"][0] == (
        {
            "code": scheduler.PINNED_IN_BLOCKED_SLOT,
            "params": {
                "meeting": published.pk,
                "slot": slot.pk,
                "participant": alice.participation.pk,
            },
        }
    )
    html = schedule_page(staff, event)
    assert (
        "The published meeting of Alice Org and Bob Org stays at" in html
        and "which Alice Org has since blocked" in html
    )
    assert "published meeting" not in json.dumps(details)


def test_a_run_stored_in_the_first_shape_still_reads(staff, event, alice, bob, published):
    back = MeetingRequestFactory(
        event=event,
        requester=bob.participation,
        recipient=alice.participation,
        status=RequestStatus.ACCEPTED,
    )
    slot = TimeSlot.objects.of_event(event)[1]
    ScheduleRun.objects.create(
        event=event,
        requested=1,
        placed=1,
        upper_bound=1,
        breaks=0,
        worst_breaks=0,
        seconds=0.1,
        details={
            "unplaced": [],
            "notes": [
                "the breaks are proven the fewest possible for these meetings",
                f"published meeting {published.pk} stays in slot {slot.pk}, "
                "which Alice Org has since blocked",
                "something a later version no longer says",
            ],
            "breaks_lower_bound": 0,
            # The first shape wrote [twin, kept] (its comment said the reverse).
            "twins": [[back.pk, published.pk]],
        },
    )
    report = ScheduleRun.objects.get().report
    assert report.twins == [Twin(request=back.pk, covered_by=published.pk)]
    assert report.notes[0] == Note(scheduler.BREAKS_PROVEN_FEWEST)
    assert report.notes[1].code == scheduler.PINNED_IN_BLOCKED_SLOT
    assert report.notes[2] == Note(
        LEGACY_NOTE, {"text": "something a later version no longer says"}
    )

    html = schedule_page(staff, event)
    assert "No schedule of these meetings has fewer breaks." in html
    assert "the breaks are proven the fewest possible" not in html
    assert "The published meeting of Alice Org and Bob Org stays at" in html
    assert "Bob Org and Alice Org both asked for a meeting and both accepted" in html


def test_the_report_reads_back_what_it_wrote():
    report = RunReport(
        unplaced=[
            Unplaced(7, scheduler.OVERBOOKED, 3, {"meetings": 9, "free": 6}),
            Unplaced(8, WITHDRAWN),
        ],
        notes=[
            Note(scheduler.PLACED_PROVEN_MOST),
            Note(scheduler.PINNED_OUTSIDE_SESSIONS, {"meeting": 7, "slot": 2}),
        ],
        twins=[Twin(9, 7)],
        breaks_lower_bound=4,
    )
    stored = json.loads(json.dumps(report.to_json()))
    assert stored["version"] == VERSION
    assert RunReport.from_json(stored) == report
    assert RunReport.from_json(None) == RunReport()


REASONS = [
    scheduler.NEVER_BOTH_FREE,
    scheduler.NOT_FREE_IN_SESSIONS,
    scheduler.OVERBOOKED,
    scheduler.NO_TABLE_FREE,
    scheduler.NO_COMMON_SLOT_LEFT,
    WITHDRAWN,
]
NOTES = [
    scheduler.PLACED_PROVEN_MOST,
    scheduler.BREAKS_PROVEN_FEWEST,
    scheduler.PINNED_IN_BLOCKED_SLOT,
    scheduler.PINNED_OUTSIDE_SESSIONS,
]


@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_every_code_has_its_words_in_every_language(language):
    names = Names(pairs={7: ("Celltech", "Takeda")}, participants={3: "Takeda"}, slots={2: "9:00"})
    with translation.override(language):
        for code in REASONS:
            text = describe_unplaced(
                Unplaced(7, code, 3, {"meetings": 9, "free": 6}), ("Celltech", "Takeda"), "Takeda"
            )
            assert "Celltech" in text or "Takeda" in text
            assert f"({code})" not in text  # not the fallback for unknown codes
            assert reason_name(code) != code
        for code in NOTES:
            text = describe_note(Note(code, {"meeting": 7, "slot": 2, "participant": 3}), names)
            assert text and text != code
