"""Production serves its own stylesheet: collectstatic with hashed names, WhiteNoise in front."""

import re

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_collected_stylesheet_is_served_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    client = Client()  # a new client builds the middleware, and WhiteNoise reads STATIC_ROOT
    page = client.get("/")
    stylesheet = re.search(
        r'<link rel="stylesheet" href="(/static/css/kbio\.\w+\.css)">', page.text
    )
    assert stylesheet, "the page links the hashed, collected stylesheet"
    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]

    # The icon too, and /favicon.ico leads to its collected name.
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302
    assert re.fullmatch(r"/static/favicon\.\w+\.svg", icon.url)
    assert f'<link rel="icon" href="{icon.url}"' in page.text
    served = client.get(icon.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/svg+xml"
