"""The site's icon: linked from every page, and at /favicon.ico for browsers that just ask."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/", "/ko/organizations/", "/accounts/login/"])
def test_every_page_links_the_icon_and_it_exists(client, page):
    html = client.get(page).text
    link = re.search(r'<link rel="icon" href="/static/(favicon\.svg)" type="image/svg\+xml">', html)
    assert link, "the page links the icon"
    icon = finders.find(link.group(1))
    assert icon, "the icon is a static file"
    with open(icon, encoding="utf-8") as f:
        assert f.read().startswith("<svg")


@pytest.mark.django_db
def test_favicon_ico_is_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
