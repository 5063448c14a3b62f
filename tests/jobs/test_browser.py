"""The schedule page follows a running job in real headless Chromium under the site's strict
Content-Security-Policy: with JavaScript it polls the status fragment and shows the result
when the job is done, without a full-page wait; without JavaScript it refreshes itself."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kbio.jobs.models import Job, JobKind, JobState
from tests.browser import headless_chromium
from tests.factories import OrganizerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "partnering-pass-1"  # tests.factories.UserFactory


@pytest.fixture
def browser():
    with headless_chromium() as browser:
        yield browser


def log_in(browser, live_server, *, javascript: bool):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def finish(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        percent=100,
        finished=timezone.now(),
        result={"placed": 3, "requested": 4, "dry_run": False},
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_the_page_shows_progress_then_the_result(live_server, browser, event, javascript):
    OrganizerFactory()
    job = Job.objects.create(
        kind=JobKind.SCHEDULE, event=event, state=JobState.RUNNING, progress="Scheduling…"
    )
    page = log_in(browser, live_server, javascript=javascript)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"{live_server.url}/organizer/events/{event.slug}/schedule/")
    expect(page.get_by_text("Scheduler run: Running")).to_be_visible()
    expect(page.get_by_text("Scheduling…")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()

    Job.objects.filter(pk=job.pk).update(progress="Saving 3 meetings…", percent=90)
    if javascript:
        # The panel is fetched again without reloading the page.
        expect(page.get_by_text("Saving 3 meetings…")).to_be_visible(timeout=10_000)
    finish(job)
    expect(page.get_by_text("Scheduler run: Done")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("3 of 4 meetings placed.")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_have_count(0)
    assert problems == []
