"""A new person, invited by e-mail, on a phone and in Korean: sets a password, completes the
profile and pipeline, sees the suggestions change, shortlists two partners, asks one for a
meeting, talks in the thread, and finds the meeting on the start page.

Real headless Chromium at 390×844; every page is also checked for sideways scrolling."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from kbio.accounts import services as account_services
from kbio.directory.models import FocusArea, MemberRole, Organization, PartnershipType
from kbio.events.models import Event, EventStatus, Participation, RequestMessage
from tests.browser import headless_chromium

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Shonan-iPark-2026!"
DESCRIPTION_KO = (
    "iPSC 유래 망막색소상피 세포치료제를 개발하는 한국 바이오벤처입니다. "
    "일본 제약사와 라이선스를 찾습니다."
)
TEASER_KO = "건성 황반변성을 위한 iPSC 유래 망막색소상피 세포치료제, 전임상 단계."


@pytest.fixture
def world(db):
    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    newcomer = Organization.objects.create(
        slug="hanbit-cell", name="Hanbit Cell", kind="venture", country="KR", languages=["ko"]
    )
    event = Event.objects.create(
        slug="spring-2027",
        name="Spring Partnering 2027",
        venue="Shonan iPark",
        status=EventStatus.OPEN,
    )
    Participation.objects.bulk_create(
        Participation(event=event, organization=org)
        for org in Organization.objects.filter(is_active=True)
    )
    account_services.invitation_send(
        organization=newcomer,
        email="jiwoo@hanbit.example.org",
        role=MemberRole.OWNER,
        name="Ji-woo Lee",
        language="ko",
    )
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/ko/accounts/invitations/[^/\s]+/)", message.body)
    assert link, message.body
    return {"organization": newcomer, "event": event, "link": link.group(1)}


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"


def suggestion_names(page) -> list[str]:
    return page.locator("li.suggestion h3, li.suggestion .suggestion-name").all_inner_texts()


def test_a_new_member_on_a_phone_in_korean(live_server, world):
    base = live_server.url
    slug = world["organization"].slug
    ipsc = FocusArea.objects.get(slug="ipsc-cell-therapy")
    eyes = FocusArea.objects.get(slug="ophthalmology")
    licensing = PartnershipType.objects.get(slug="licensing")
    with headless_chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ko-KR")

        # The link from the Korean e-mail: choose a username and a password.
        page.goto(base + world["link"])
        assert page.locator("html").get_attribute("lang") == "ko"
        fits_the_phone(page)
        page.fill("#id_username", "jiwoo")
        page.fill("#id_name", "이지우")
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/ko/$"))
        assert "Hanbit Cell" in page.inner_text("main")
        fits_the_phone(page)

        # An empty profile has nothing to be matched on.
        page.goto(f"{base}/ko/organizations/{slug}/matches/")
        before = suggestion_names(page)

        # The profile, in Korean.
        page.goto(f"{base}/ko/organizations/{slug}/edit/")
        fits_the_phone(page)
        page.fill("textarea[name=description_ko]", DESCRIPTION_KO)
        page.check(f"input[name=modalities][value='{ipsc.pk}']")
        page.check(f"input[name=therapeutic_areas][value='{eyes.pk}']")
        page.check("input[name=intents][value=licensees]")
        page.check(f"input[name=seeks][value='{licensing.pk}']")
        page.select_option("select[name=lead_stage]", "preclinical")
        page.locator("#profile-form button[type=submit]").click()
        page.wait_for_load_state()
        assert DESCRIPTION_KO in Organization.objects.get(slug=slug).description_ko

        # The pipeline: one asset offered for licensing.
        page.goto(f"{base}/ko/organizations/{slug}/edit/assets/add/")
        fits_the_phone(page)
        page.fill("input[name=name]", "HB-101")
        page.select_option("select[name=modality]", str(ipsc.pk))
        page.check(f"input[name=therapeutic_areas][value='{eyes.pk}']")
        page.select_option("select[name=stage]", "preclinical")
        page.select_option("select[name=direction]", "out_licensing")
        page.fill("textarea[name=teaser]", TEASER_KO)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert world["organization"].assets.filter(name="HB-101").exists()

        # The profile shows the Korean text to Korean readers.
        page.goto(f"{base}/ko/organizations/{slug}/")
        assert DESCRIPTION_KO in page.inner_text("main")

        # The suggestions changed because of what was said.
        page.goto(f"{base}/ko/organizations/{slug}/matches/")
        fits_the_phone(page)
        after = suggestion_names(page)
        assert len(after) >= 2 and after != before, (before, after)

        # Shortlist the two best partners.
        shortlisted = []
        for _ in range(2):
            row = (
                page.locator("li.suggestion")
                .filter(has=page.locator("form[action$='/shortlist/add/']"))
                .first
            )
            shortlisted.append(row.get_attribute("id").removeprefix("partner-"))
            row.locator("form[action$='/shortlist/add/'] button").click()
            page.wait_for_load_state()
        page.goto(f"{base}/ko/organizations/{slug}/shortlist/")
        fits_the_phone(page)
        for partner in shortlisted:
            assert page.locator(f"a[href$='/organizations/{partner}/']").count() >= 1

        # Ask the first for a meeting, from the shortlist.
        partner = Organization.objects.get(slug=shortlisted[0])
        page.locator(f"a[href*='/request/{partner.slug}/']").first.click()
        page.wait_for_load_state()
        fits_the_phone(page)
        page.fill("textarea[name=message]", "HB-101 라이선스에 대해 30분 미팅을 요청드립니다.")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()

        # Talk in the request's thread.
        page.goto(f"{base}/ko/")
        page.locator(f"section:has(#meetings-heading) a:has-text('{partner.name}')").first.click()
        page.wait_for_load_state()
        fits_the_phone(page)
        page.fill("textarea[name=body]", "발표 자료를 미리 보내드릴까요?")
        page.locator("form.thread-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "발표 자료를 미리 보내드릴까요?" in page.inner_text("main")
        assert RequestMessage.objects.filter(body__startswith="발표 자료").count() == 1

        # The meeting is on the start page.
        page.goto(f"{base}/ko/")
        meetings = page.inner_text("section:has(#meetings-heading)")
        assert partner.name in meetings
        fits_the_phone(page)
