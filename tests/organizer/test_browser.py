"""The organizer's and a participant's pages in real headless Chromium, with JavaScript off:
charts are drawn by the server, forms post without scripts."""

import pytest
from playwright.sync_api import expect

from kbio.events.models import RequestStatus
from kbio.outcomes.models import Outcome
from tests.browser import headless_chromium
from tests.events.conftest import make_party
from tests.events.factories import MeetingFactory, MeetingRequestFactory
from tests.factories import OrganizerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "partnering-pass-1"  # tests.factories.UserFactory


@pytest.fixture
def browser():
    with headless_chromium() as browser:
        yield browser


def log_in(browser, live_server, username):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_dashboard_and_outcome_without_javascript(live_server, browser, past_event):
    alice = make_party(past_event, "alice", kind="venture", country="KR")
    bob = make_party(past_event, "bob", kind="pharma", country="JP")
    met = MeetingRequestFactory(
        event=past_event,
        requester=alice.participation,
        recipient=bob.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=met,
        slot=past_event.sessions.get().slots.order_by("starts_at").first(),
        table=past_event.tables.get(number=1),
        is_published=True,
    )
    OrganizerFactory()

    # The venture records the outcome from its agenda.
    venture = log_in(browser, live_server, "alice")
    venture.goto(f"{live_server.url}/events/{past_event.slug}/agenda/")
    venture.get_by_role("link", name="Outcome").click()
    venture.get_by_label("Verification (proof of concept)").check()
    venture.get_by_label("Since when").fill("2025-02-14")
    venture.get_by_label("Note (optional)").fill("PoC at Shonan iPark starts in March.")
    venture.get_by_role("button", name="Record").click()
    expect(venture.get_by_text("The outcome is recorded.")).to_be_visible()
    assert Outcome.objects.get().side == alice.organization

    # The organizer sees it in the funnel, drawn by the server as SVG with readable numbers.
    organizer = log_in(browser, live_server, "organizer")
    organizer.goto(f"{live_server.url}/organizer/")
    organizer.get_by_role("link", name=past_event.name).click()
    funnel = organizer.locator("svg#chart-funnel")
    expect(funnel).to_be_visible()
    expect(funnel.locator("text", has_text="1 (100%)").first).to_be_visible()
    expect(organizer.locator("svg#chart-kind")).to_contain_text("Bio venture")
    # The threshold form works by a plain GET.
    organizer.get_by_label("Ventures with fewer than this many meetings").fill("1")
    organizer.get_by_role("button", name="Show").click()
    expect(
        organizer.get_by_role("heading", name="Ventures with fewer than 1 meeting")
    ).to_be_visible()


def test_organizer_schedules_and_publishes_then_a_participant_downloads_the_calendar(
    live_server, browser, event, tmp_path
):
    """Requests closed, two accepted meetings: the organizer runs the scheduler and publishes
    from the schedule page; the venture's agenda then shows the table and its calendar file
    holds both meetings."""
    from icalendar import Calendar

    from kbio.events.models import EventStatus, Meeting

    alice = make_party(event, "alice", kind="venture", country="KR")
    bob = make_party(event, "bob", kind="pharma", country="JP")
    charlie = make_party(event, "charlie", kind="cro_cdmo", country="JP")
    for partner in (bob, charlie):
        MeetingRequestFactory(
            event=event,
            requester=alice.participation,
            recipient=partner.participation,
            status=RequestStatus.ACCEPTED,
        )
    OrganizerFactory()

    organizer = log_in(browser, live_server, "organizer")
    organizer.goto(f"{live_server.url}/organizer/events/{event.slug}/schedule/")
    organizer.get_by_role("button", name="Close requests now").click()
    expect(organizer.get_by_text("Meeting requests are closed.")).to_be_visible()
    organizer.get_by_role("button", name="Run the scheduler").click()
    expect(organizer.get_by_text("2 of 2 meetings placed.")).to_be_visible()
    expect(organizer.get_by_text("Every accepted meeting is placed.")).to_be_visible()
    # The timetable shows both meetings as drafts until published.
    expect(organizer.locator(".timetable td.draft")).to_have_count(2)
    organizer.get_by_role("button", name="Publish the schedule").click()
    expect(organizer.get_by_text("Published 2 meetings")).to_be_visible()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    venture = log_in(browser, live_server, "alice")
    venture.goto(f"{live_server.url}/events/{event.slug}/agenda/")
    for meeting in Meeting.objects.select_related("table"):
        expect(venture.get_by_text(str(meeting.table), exact=False).first).to_be_visible()
    with venture.expect_download() as download_info:
        venture.get_by_role("link", name="Download calendar (.ics)").click()
    path = tmp_path / "agenda.ics"
    download_info.value.save_as(path)
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == [
        "Meeting: Bob Org",
        "Meeting: Charlie Org",
    ]
