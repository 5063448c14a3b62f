"""The K-Bio Venture Partnering Conference 2025 fixture (fixtures/kbio2025.json)."""

from datetime import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from kbio.events.models import Event, EventStatus, MeetingRequest, SessionKind, TimeSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def kbio2025(fixture_organizations):
    call_command("loaddata", "kbio2025", verbosity=0)
    return Event.objects.get(slug="kbio-2025")


def test_the_conference_is_one_day_at_shonan_ipark_in_tokyo_time(kbio2025):
    assert kbio2025.name == "K-Bio Venture Partnering Conference 2025"
    assert kbio2025.time_zone == "Asia/Tokyo"
    assert "Shonan iPark" in kbio2025.venue
    days = {
        timezone.localtime(s.starts_at, kbio2025.tzinfo).date() for s in kbio2025.sessions.all()
    }
    assert [str(day) for day in days] == ["2025-01-18"]
    assert {org.slug for org in kbio2025.hosted_by.all()} == {"chungbuk", "mss", "kbiohealth"}


def test_programme_has_pitches_posters_seminar_partnering_and_a_break(kbio2025):
    names = [s.name_en for s in kbio2025.sessions.all()]
    assert any("IR pitches" in n for n in names)
    assert any("poster" in n.lower() for n in names)
    assert any("PMDA" in n for n in names)
    kinds = [s.kind for s in kbio2025.sessions.all()]
    assert kinds.count(SessionKind.PARTNERING) == 3
    assert SessionKind.BREAK in kinds
    for session in kbio2025.sessions.all():
        assert session.name_ko and session.name_ja


def test_slots_are_25_minutes_inside_partnering_sessions_without_overlap(kbio2025):
    slots = list(TimeSlot.objects.of_event(kbio2025).select_related("session"))
    assert len(slots) == 9
    for slot in slots:
        assert slot.minutes == 25
        assert slot.session.kind == SessionKind.PARTNERING
        assert slot.session.starts_at <= slot.starts_at and slot.ends_at <= slot.session.ends_at
        slot.full_clean()  # no overlap with any other slot
    local = [timezone.localtime(s.starts_at, kbio2025.tzinfo).time() for s in slots]
    assert min(local) == time(10, 30) and max(local) == time(16, 45)


def test_participants_are_the_publicly_named_ones_and_pharma_hosts_keep_tables(kbio2025):
    participants = {p.organization.slug for p in kbio2025.participations.all()}
    assert participants == {
        "cefobio",
        "ips-bio",
        "markherz",
        "takeda",
        "astellas",
        "johnson-johnson-japan",
        "eli-lilly-japan",
    }
    hosts = {t.number: t.host.organization.slug for t in kbio2025.tables.filter(host__isnull=False)}
    assert hosts == {
        1: "takeda",
        2: "astellas",
        3: "johnson-johnson-japan",
        4: "eli-lilly-japan",
    }
    assert kbio2025.tables.count() == 12


def test_the_real_event_holds_no_invented_requests_and_takes_none(kbio2025):
    assert kbio2025.status == EventStatus.CLOSED
    assert not kbio2025.accepts_requests()
    assert not MeetingRequest.objects.exists()


def test_loading_twice_updates_instead_of_duplicating(kbio2025):
    call_command("loaddata", "kbio2025", verbosity=0)
    assert Event.objects.filter(slug="kbio-2025").count() == 1
    assert kbio2025.sessions.count() == 7
    assert TimeSlot.objects.of_event(kbio2025).count() == 9
    assert kbio2025.participations.count() == 7
