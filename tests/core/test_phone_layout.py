"""Every participant and organizer page on a 390 px phone, in English, Korean and Japanese:
nothing may widen the page (no sideways scrolling), the site header stays short, and nothing
on the page is refused by the Content-Security-Policy (an inline script or style would be).

The pages are listed once, in PAGES below. A new page must be added there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from kbio.accounts.models import Application, Invitation
from kbio.directory.models import Contact, MemberRole, OrganizationKind
from kbio.events.demo import DEMO_LOGINS, demo_event_create, demo_logins_create
from kbio.events.models import (
    Event,
    EventStatus,
    MeetingRequest,
    Participation,
    RequestStatus,
    TimeSlot,
)
from kbio.outcomes.models import OutcomeStage
from kbio.outcomes.services import outcome_record
from tests.browser import headless_chromium
from tests.events.factories import MeetingFactory
from tests.factories import organizers_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("", "/ko", "/ja")  # URL prefixes: English has none
# The header shows the brand, the current event, a menu button and the account links.
MAX_HEADER_HEIGHT = 80

ORGANIZER = ("organizer", "phone-organizer-pass-1")
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS} | dict([ORGANIZER])
VENTURE = "yipscell-bd"  # Korean venture (demo login)
PHARMA = "astellas-scouting"  # Japanese pharma (demo login)

LONG_MESSAGE = (
    "We would like to present YiPSCELL's iPSC-derived chondrocyte programme and discuss a "
    "co-development in Japan. Our data room is at "
    "https://dataroom.example.org/yipscell/2025/chondrocyte-programme/phase-1-2-interim-"
    "analysis-and-manufacturing-comparability-package?version=final&lang=en and questions can "
    "go to business-development-and-licensing-office@yipscell.example.org. "
    "Supercalifragilisticexpialidociouslylongwordwithoutanybreakopportunityatall."
)


@dataclass(frozen=True)
class Page:
    name: str
    login: str | None  # username, or None for a visitor
    path: str  # {placeholders} are filled from the data the test creates


# NEW PAGES MUST BE ADDED HERE: every participant and organizer page, with the login that
# sees it at its fullest. Each is checked at 390 px in every language.
PAGES = [
    # Public
    Page("home", None, "/"),
    Page("login", None, "/accounts/login/"),
    Page("password reset", None, "/accounts/password_reset/"),
    Page("password reset sent", None, "/accounts/password_reset/done/"),
    Page("invitation", None, "/accounts/invitations/{invitation_token}/"),
    Page("apply to an event", None, "/events/{event}/apply/"),
    Page(
        "directory, filtered", None, "/organizations/?kind=venture&focus=ipsc-cell-therapy&q=cell"
    ),
    # A participant
    Page("home, signed in", VENTURE, "/"),
    Page("directory", VENTURE, "/organizations/"),
    Page("profile (venture)", VENTURE, "/organizations/yipscell/"),
    Page("profile (pharma)", VENTURE, "/organizations/astellas/"),
    Page("matches", VENTURE, "/organizations/yipscell/matches/"),
    Page("matches (pharma)", PHARMA, "/organizations/astellas/matches/"),
    Page("shortlist", VENTURE, "/organizations/yipscell/shortlist/"),
    Page("invite a colleague", VENTURE, "/organizations/yipscell/invite/"),
    Page("edit the profile", VENTURE, "/organizations/yipscell/edit/"),
    Page("edit the criteria", VENTURE, "/organizations/yipscell/edit/criteria/"),
    Page("add a criterion", VENTURE, "/organizations/yipscell/edit/criteria/interest/add/"),
    Page("edit the assets", VENTURE, "/organizations/yipscell/edit/assets/"),
    Page("add an asset", VENTURE, "/organizations/yipscell/edit/assets/add/"),
    Page("edit the team", VENTURE, "/organizations/yipscell/edit/team/"),
    Page("add a colleague", VENTURE, "/organizations/yipscell/edit/team/add/"),
    Page("participants", VENTURE, "/events/{event}/participants/"),
    Page("events", VENTURE, "/events/"),
    Page("event", VENTURE, "/events/{event}/"),
    Page("past event", VENTURE, "/events/{past_event}/"),
    Page("register", VENTURE, "/events/{event}/register/"),
    Page("availability", VENTURE, "/events/{event}/availability/"),
    Page("request form", VENTURE, "/events/{event}/request/takeda/"),
    Page("inbox", VENTURE, "/events/{event}/inbox/"),
    Page("inbox (pharma)", PHARMA, "/events/{event}/inbox/"),
    Page("outbox", VENTURE, "/events/{event}/outbox/"),
    Page("agenda", VENTURE, "/events/{event}/agenda/"),
    Page("agenda (pharma)", PHARMA, "/events/{event}/agenda/"),
    Page("request", PHARMA, "/events/{event}/requests/{long_request}/"),
    Page("decline", PHARMA, "/events/{event}/requests/{long_request}/decline/"),
    Page("outcome", VENTURE, "/events/{past_event}/meetings/{past_meeting}/outcome/"),
    Page("password change", VENTURE, "/accounts/password_change/"),
    # The organizer
    Page("organizer index", ORGANIZER[0], "/organizer/"),
    Page("event dashboard", ORGANIZER[0], "/organizer/events/{event}/"),
    Page("past event dashboard", ORGANIZER[0], "/organizer/events/{past_event}/"),
    Page("schedule", ORGANIZER[0], "/organizer/events/{event}/schedule/"),
    Page("data", ORGANIZER[0], "/organizer/data/"),
    Page("organizations import", ORGANIZER[0], "/organizer/organizations/import/"),
    Page("criteria import", ORGANIZER[0], "/organizer/criteria/import/"),
    Page("requests import", ORGANIZER[0], "/organizer/events/{event}/requests/import/"),
    Page("outcomes", ORGANIZER[0], "/organizer/events/{past_event}/outcomes/"),
    Page("applications", ORGANIZER[0], "/organizer/events/{event}/applications/"),
    Page("logins and invitations", ORGANIZER[0], "/organizer/events/{event}/logins/"),
    Page("organization history", ORGANIZER[0], "/organizer/organizations/yipscell/history/"),
]

# The page's width against the viewport's, and the elements that stick out the most: the
# outermost element wider than the space its parent leaves it, not its children.
MEASURE = """() => {
  const viewport = document.documentElement.clientWidth;
  const width = document.documentElement.scrollWidth;
  const header = document.querySelector('header.site-header');
  const offenders = [];
  if (width > viewport) {
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].map((c) => '.' + c).join('');
    const path = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        parts.unshift(describe(e));
      }
      return parts.join(' > ');
    };
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement.getBoundingClientRect().right;
      if (right > viewport + 0.5 && parent <= viewport + 0.5) {
        offenders.push([Math.round(right), path(el)]);
      }
    }
    offenders.sort((a, b) => b[0] - a[0]);
  }
  return {
    viewport, width, offenders: offenders.slice(0, 3),
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
  };
}"""


def realistic_data() -> dict[str, object]:
    """The real fixtures, the demo logins and their practice round, plus: a request with a
    long message and an address in it, an accepted meeting with a published time and table,
    and a past meeting with an outcome."""
    call_command("loaddata", "taxonomy", "organizations", "partnering", "kbio2025", verbosity=0)
    demo_logins_create()
    event = demo_event_create()
    get_user_model().objects.create_user(
        ORGANIZER[0], password=ORGANIZER[1], is_staff=True, is_superuser=True
    )
    sides = {p.organization.slug: p for p in event.participations.select_related("organization")}
    long_request = MeetingRequest.objects.create(
        event=event, requester=sides["yipscell"], recipient=sides["astellas"], message=LONG_MESSAGE
    )
    accepted = MeetingRequest.objects.create(
        event=event,
        requester=sides["yipscell"],
        recipient=sides["johnson-johnson-japan"],
        message=LONG_MESSAGE,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=accepted,
        slot=TimeSlot.objects.of_event(event)[1],
        table=event.tables.order_by("number").first(),
        is_published=True,
    )
    MeetingRequest.objects.create(
        event=event,
        requester=sides["eli-lilly-japan"],
        recipient=sides["yipscell"],
        message=LONG_MESSAGE,
        status=RequestStatus.ACCEPTED,
    )

    past = Event.objects.get(slug="kbio-2025")
    past.status = EventStatus.PUBLISHED
    past.save(update_fields=["status"])
    venture = Participation.objects.create(event=past, organization=sides["yipscell"].organization)
    met = MeetingRequest.objects.create(
        event=past,
        requester=venture,
        recipient=past.participations.get(organization__slug="astellas"),
        message=LONG_MESSAGE,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=met,
        slot=TimeSlot.objects.of_event(past)[0],
        table=past.tables.order_by("number").first(),
        is_published=True,
    )
    outcome_record(
        meeting_request=met,
        stage=OutcomeStage.VERIFICATION,
        on=date(2025, 2, 14),
        note=LONG_MESSAGE,
        by=get_user_model().objects.get(username=ORGANIZER[0]),
        side=None,
    )
    # The venture's login owns its organization: it sees the member pages (invite, edit).
    Contact.objects.filter(user__username=VENTURE).update(role=MemberRole.OWNER)
    token, digest = Invitation.new_token()
    Invitation.objects.create(
        organization=sides["yipscell"].organization,
        email="new-colleague-with-a-rather-long-address@yipscell.example.org",
        name="Kim Seo-yeon",
        token_hash=digest,
        expires_at=Invitation.default_expiry(),
    )
    Application.objects.create(
        event=event,
        organization_name="Chungbuk Regenerative Medicine and Advanced Biotherapeutics Co.",
        kind=OrganizationKind.VENTURE,
        country="KR",
        website="https://www.chungbuk-regenerative-medicine-advanced-biotherapeutics.example.org/",
        description=LONG_MESSAGE,
        contact_name="Park Ji-hoon",
        email="business-development-and-licensing-office@chungbuk-regen.example.org",
        message=LONG_MESSAGE,
    )
    return {
        "invitation_token": token,
        "event": event.slug,
        "past_event": past.slug,
        "long_request": long_request.pk,
        "past_meeting": met.pk,
    }


def logged_in_page(browser, live_server, username: str | None, **context):
    page = browser.new_context(viewport=PHONE, **context).new_page()
    # Chromium reports every resource or inline code the page's policy refuses on the console.
    page.csp_refusals = []
    page.on(
        "console",
        lambda message: (
            page.csp_refusals.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    if username is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def phone_problems(page, url: str, label: str, *, signed_in: bool) -> list[str]:
    """What is wrong with the page at `url` on a phone, in words; nothing if it is right."""
    response = page.goto(url)
    if response is None or response.status != 200 or (signed_in and "/login/" in page.url):
        return [f"{label}: not shown ({response and response.status}, {page.url})"]
    found = page.evaluate(MEASURE)
    problems = [f"{label}: refused by the policy: {text}" for text in page.csp_refusals]
    page.csp_refusals.clear()
    if found["width"] > found["viewport"]:
        widest = "; ".join(f"{path} reaches {right}px" for right, path in found["offenders"])
        problems.append(f"{label}: {found['width']}px wide at {found['viewport']}px ({widest})")
    if found["header"] > MAX_HEADER_HEIGHT:
        problems.append(f"{label}: the header is {found['header']}px high")
    return problems


def test_no_page_scrolls_sideways_on_a_phone(live_server):
    values = realistic_data()
    problems = []
    with headless_chromium() as browser:
        pages = {}  # one signed-in tab per login, reused for every page and language
        for spec in PAGES:
            if spec.login not in pages:
                pages[spec.login] = logged_in_page(browser, live_server, spec.login)
            for prefix in LANGUAGES:
                where = f"{prefix}{spec.path.format(**values)}"
                label = f"{spec.name} [{prefix.strip('/') or 'en'}] {where}"
                problems += phone_problems(
                    pages[spec.login],
                    f"{live_server.url}{where}",
                    label,
                    signed_in=spec.login is not None,
                )
    assert not problems, "\n".join(problems)


def test_the_menu_folds_on_a_phone_and_stays_open_on_a_desktop(live_server):
    """Without JavaScript: on a phone the links hide behind "Menu" until it is pressed; on a
    desktop they show and there is no "Menu" button."""
    organizer = get_user_model().objects.create_user(
        ORGANIZER[0], password=ORGANIZER[1], is_staff=True
    )
    organizer.groups.add(organizers_group())  # the longest menu: with the organizer's links
    with headless_chromium() as browser:
        page = logged_in_page(browser, live_server, ORGANIZER[0], java_script_enabled=False)
        page.goto(f"{live_server.url}/ko/")
        menu = page.locator("header .site-menu__toggle")
        directory = page.locator("nav.site-nav").get_by_role("link", name="기관 디렉터리")
        log_out = page.locator("nav.account-nav button")
        expect(menu).to_be_visible()
        expect(directory).to_be_hidden()
        expect(log_out).to_be_hidden()
        assert page.locator("header.site-header").bounding_box()["height"] <= MAX_HEADER_HEIGHT

        menu.click()
        expect(directory).to_be_visible()
        expect(page.get_by_role("link", name="日本語")).to_be_visible()
        expect(log_out).to_be_visible()
        # The open menu lies over the page: it neither pushes the page down nor widens it.
        assert page.locator("header.site-header").bounding_box()["height"] <= MAX_HEADER_HEIGHT
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
        directory.click()
        expect(page).to_have_url(f"{live_server.url}/ko/organizations/")

        page.set_viewport_size({"width": 1366, "height": 900})
        page.reload()
        expect(menu).to_be_hidden()
        expect(directory).to_be_visible()
        expect(log_out).to_be_visible()
