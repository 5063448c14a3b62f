"""The Content-Security-Policy: every response carries it, it refuses inline scripts, and the
admin pages (which the phone layout test does not open) work under it in Chromium. The
participant and organizer pages are checked under it by tests/core/test_phone_layout.py."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from kbio.directory.models import Organization
from tests.browser import headless_chromium

ADMIN = ("csp-admin", "csp-admin-pass-1")


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/organizations/", "/accounts/login/", "/admin/login/"])
def test_every_page_refuses_inline_scripts_plugins_and_framing(path):
    policy = directives(Client().get(path, follow=True))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_refuses_an_inline_script_and_the_admin_works_under_the_policy(live_server):
    call_command("loaddata", "taxonomy", "organizations", "partnering", "kbio2025", verbosity=0)
    get_user_model().objects.create_user(
        ADMIN[0], password=ADMIN[1], is_staff=True, is_superuser=True
    )
    organization = Organization.objects.get(slug="yipscell")
    with headless_chromium() as browser:
        page = browser.new_page()
        refusals: list[str] = []
        page.on(
            "console",
            lambda message: (
                refusals.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{live_server.url}/")
        # What an attacker's markup would do if it ever got through the escaping.
        ran = page.evaluate(
            """() => {
              const script = document.createElement('script');
              script.textContent = 'window.injected = true';
              document.head.appendChild(script);
              return window.injected === true;
            }"""
        )
        assert ran is False
        assert any("script" in text for text in refusals), refusals
        refusals.clear()

        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", ADMIN[0])
        page.fill("#id_password", ADMIN[1])
        page.click("input[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        for path in [
            "/admin/",
            "/admin/directory/organization/?kind__exact=venture&q=cell",
            f"/admin/directory/organization/{organization.pk}/change/",
            "/admin/events/event/",
            "/admin/events/meetingrequest/add/",
        ]:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
        # The admin's own scripts run: the autocomplete widgets are drawn by them.
        page.goto(f"{live_server.url}/admin/events/meetingrequest/add/")
        assert page.locator(".select2-container").count() > 0
    assert refusals == []
