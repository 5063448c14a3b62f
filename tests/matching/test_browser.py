"""The matches page in real headless Chromium with JavaScript switched off."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import headless_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page():
    with headless_chromium() as browser:
        yield browser.new_context(java_script_enabled=False).new_page()


def test_filter_read_and_correct_without_javascript(live_server, page):
    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    page.goto(f"{live_server.url}/organizations/cefobio/matches/")
    first = page.locator("li.suggestion").first
    expect(first.locator("h3")).to_contain_text("CMIC Group")
    # A visitor reads about CEFObio by name, not as "you".
    expect(first).to_contain_text("They offer what CEFObio's asset CF-M801 (phase 2) needs next")

    # Only agencies: pick the kind, submit the form.
    page.select_option("#id_kind", "cro_cdmo")
    page.select_option("#id_role", "provider")
    page.fill("#id_min_score", "0")
    page.get_by_role("button", name="Show suggestions").click()
    assert "kind=cro_cdmo" in page.url and "role=provider" in page.url
    expect(page.locator("#id_kind")).to_have_value("cro_cdmo")
    expect(page.locator("li.suggestion h3", has_text="S-RACMO")).to_have_count(1)
    expect(page.locator("li.suggestion .suggestion-role").first).to_have_text("Service provider")

    # Every reason and gap opens without a script.
    details = page.locator("li.suggestion details").first
    details.locator("summary").click()
    expect(details.locator(".suggestion-gaps")).to_be_visible()

    # A score above 100 is refused with the reason, and what was typed stays.
    page.fill("#id_min_score", "150")
    page.get_by_role("button", name="Show suggestions").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Ensure this value is less than or equal to 100."
    )
    expect(page.locator("#id_min_score")).to_have_value("150")
    expect(page.locator("li.suggestion")).to_have_count(0)
