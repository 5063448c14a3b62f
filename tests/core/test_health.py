"""The health URL answers 200 when the database and the cache answer, 503 naming what is down;
it is the same address in every language, needs no login and is never cached."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_all_up(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_database_down(client):
    failing = mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("connection refused")
    )
    with failing:
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "down": ["database"],
        "checks": {"database": "down", "cache": "ok"},
    }
    assert "connection refused" not in response.content.decode()


def test_cache_unreachable(client):
    with mock.patch.object(caches["default"], "set", side_effect=ConnectionError("no cache")):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert response.json()["checks"] == {"database": "ok", "cache": "down"}


def test_cache_that_forgets(client):
    with mock.patch.object(caches["default"], "get", return_value=None):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]


def test_both_down(client):
    with (
        mock.patch.object(connections["default"], "cursor", side_effect=OperationalError),
        mock.patch.object(caches["default"], "set", side_effect=ConnectionError),
    ):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["down"] == ["database", "cache"]


def test_a_failure_is_logged_with_its_reason(client, caplog):
    with mock.patch.object(caches["default"], "set", side_effect=ConnectionError("no cache")):
        client.get("/health/")

    [record] = [r for r in caplog.records if r.name == "kbio.core.health"]
    assert record.levelname == "ERROR"
    assert "cache" in record.getMessage()
    assert "no cache" in str(record.exc_info[1])


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_one_address_whatever_the_language(client, language):
    client.cookies["django_language"] = language
    response = client.get("/health/", headers={"accept-language": language})

    assert response.status_code == 200
    assert client.get(f"/{language}/health/").status_code == 404


def test_only_reads(client):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


def production_redirect_exempt() -> list[str]:
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kbio.settings'; "
        "from django.conf import settings; print(json.dumps(settings.SECURE_REDIRECT_EXEMPT))"
    )
    environment = {**os.environ, "DEBUG": "0", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "x.org"}
    result = subprocess.run(
        [sys.executable, "-c", f"import json; {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_answers_over_plain_http_under_production_settings(client, settings):
    """A load balancer probes over plain HTTP; every page is sent to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production_redirect_exempt()

    assert client.get("/health/").status_code == 200
    assert client.get("/organizations/").status_code == 301
