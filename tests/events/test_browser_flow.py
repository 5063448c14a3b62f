"""Two delegates in two browsers: request → accept → agenda, in real headless Chromium."""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from kbio.events.models import MeetingRequest, RequestStatus, TimeSlot
from tests.browser import headless_chromium
from tests.events.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "partnering-pass-1"  # tests.factories.UserFactory


@pytest.fixture
def browser():
    with headless_chromium() as browser:
        yield browser


def log_in(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("nav.account-nav")).to_contain_text("Log out")
    return page


def test_request_accept_agenda_in_two_browsers(live_server, browser, alice, bob, alice_asset):
    event_url = f"{live_server.url}/events/spring-partnering/"
    venture = log_in(browser, live_server, "alice")
    pharma = log_in(browser, live_server, "bob")

    # The venture finds the pharma company among the participants and asks for a meeting.
    venture.goto(event_url)
    venture.get_by_role("row", name=re.compile("Bob Org")).get_by_role(
        "link", name="Request a meeting"
    ).click()
    venture.fill("#id_message", "We would like to present KB-101, our cartilage programme.")
    venture.select_option("#id_asset", label="KB-101 · Alice Org")
    venture.get_by_role("button", name="Send request").click()
    expect(venture.locator(".messages")).to_contain_text("Your request to Bob Org is sent.")
    expect(venture.locator("#main")).to_contain_text("Pending")

    # The pharma delegate, in the other browser, sees it in the inbox and accepts.
    pharma.goto(f"{event_url}inbox/")
    card = pharma.locator(".request-card", has_text="Alice Org")
    expect(card).to_contain_text("KB-101, our cartilage programme")
    card.get_by_role("button", name="Accept").click()
    expect(pharma.locator(".messages")).to_contain_text("You accepted the meeting with Alice Org")

    # Accepting opened the asset's confidential details to the pharma side.
    pharma.get_by_role("link", name="Alice Org").first.click()
    expect(pharma.locator(".confidential")).to_contain_text("12-month efficacy data")

    # Back in the first browser: the outbox says accepted, the agenda lists the meeting.
    venture.goto(f"{event_url}outbox/")
    expect(venture.locator("#main")).to_contain_text("Accepted")
    venture.goto(f"{event_url}agenda/")
    expect(venture.locator("#main")).to_contain_text("Accepted, time to be announced")
    expect(venture.locator("#main")).to_contain_text("Bob Org")

    # Once the organizer publishes the schedule, both agendas show time and table.
    request = MeetingRequest.objects.get()
    assert request.status == RequestStatus.ACCEPTED
    MeetingFactory(
        request=request,
        slot=TimeSlot.objects.of_event(request.event)[1],
        table=request.event.tables.get(number=2),
        is_published=True,
    )
    for page, partner in ((venture, "Bob Org"), (pharma, "Alice Org")):
        page.goto(f"{event_url}agenda/")
        row = page.locator("tr.slot-meeting")
        expect(row).to_contain_text("14:30–14:55")
        expect(row).to_contain_text(partner)
        expect(row).to_contain_text("Table 2")


def test_printed_agenda_is_the_schedule_alone(live_server, browser, alice, bob, ab_meeting):
    bob.organization.native_name = "ボブ製薬"
    bob.organization.save()
    page = log_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/events/spring-partnering/agenda/")
    row = page.locator("tr.slot-meeting")
    nav = page.locator("header.site-header nav.site-nav")
    print_button = page.get_by_role("button", name="Print")
    download = page.get_by_role("link", name="Download calendar (.ics)")

    # On screen: the site's menus, the tabs and both actions (JavaScript shows Print).
    expect(nav).to_be_visible()
    expect(page.locator("nav.event-tabs")).to_be_visible()
    expect(print_button).to_be_visible()
    expect(download).to_be_visible()

    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
    expect(page.locator("footer.site-footer")).to_be_hidden()
    expect(page.locator("nav.event-tabs")).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(download).to_be_hidden()
    expect(row.get_by_role("link", name="Outcome")).to_be_hidden()
    # What a delegate carries around the venue: who, where, when, with whom, at which table.
    expect(page.locator("h1")).to_have_text("Agenda of Alice Org")
    expect(page.locator(".agenda-where")).to_have_text(
        "Spring Partnering Day · Shonan iPark, Fujisawa"
    )
    expect(page.locator("#main")).to_contain_text("Times are in Asia/Tokyo.")
    expect(row).to_be_visible()
    expect(row).to_contain_text("14:30–14:55")
    expect(row).to_contain_text("Bob Org ボブ製薬")
    expect(row).to_contain_text("Table 2")
    expect(row).to_contain_text("With: Bob")
    cell = row.locator("td").nth(1)
    expect(cell).to_have_css("color", "rgb(0, 0, 0)")
    expect(cell).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(row).to_have_css("break-inside", "avoid")

    # The download link hands over the calendar file.
    page.emulate_media(media="screen")
    with page.expect_download() as downloaded:
        download.click()
    assert downloaded.value.suggested_filename == "spring-partnering-alice-org.ics"
    with open(downloaded.value.path(), "rb") as ics:
        (meeting,) = icalendar.Calendar.from_ical(ics.read()).events
    assert str(meeting["SUMMARY"]) == "Meeting: Bob Org"
