"""Every request has an id: the response names it (X-Request-ID), every log line of the request
carries it, and a server error is mailed to ADMINS with it. An id from outside is kept only
when it is well formed."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from kbio.core.logs import JsonFormatter, RequestIdFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ROOT = Path(__file__).resolve().parents[2]
logger = logging.getLogger("kbio.tests.request_logs")


def chatty(request):
    logger.warning("first line")
    logger.warning("second line")
    return HttpResponse("ok")


def broken(request):
    logger.warning("about to fail")
    raise ZeroDivisionError("the reason of the failure")


def answers_500(request):
    return HttpResponse("unavailable", status=500)


urlpatterns = [
    path("chatty/", chatty),
    path("broken/", broken),
    path("answers-500/", answers_500),
]


@pytest.fixture
def log_lines():
    """The JSON lines of the root logger, formatted and filtered as settings.LOGGING does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_every_log_line_of_a_request_carries_its_id(client, log_lines):
    first = client.get("/chatty/")
    second = client.get("/chatty/")

    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert ids[0] != ids[1]
    lines = [line for line in log_lines() if line["logger"] == logger.name]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("first line", ids[0]),
        ("second line", ids[0]),
        ("first line", ids[1]),
        ("second line", ids[1]),
    ]
    assert {"time", "level"} <= set(lines[0])


def test_django_s_own_lines_carry_the_id_and_the_request(client, log_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "proxy-7f3a"})

    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-7f3a"
    [line] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "proxy-7f3a"
    assert (line["status"], line["path"], line["method"]) == (404, "/no-such-page/", "GET")


def test_a_log_line_outside_a_request_has_no_id(log_lines):
    logger.warning("at start-up\nsecond line of the message")

    [line] = log_lines()
    assert "request_id" not in line
    assert line["message"] == "at start-up\nsecond line of the message"


def test_a_well_formed_id_from_a_proxy_is_kept(client):
    for request_id in ("0f8e2c1a-52b4-4f7e-9d3c-6b1d2e3f4a5b", "Root:1-5759e988.bd86"):
        response = client.get("/chatty/", headers={"X-Request-ID": request_id})
        assert response["X-Request-ID"] == request_id


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 10_000,
        "abc\x00def",
        "abc\x1b[31mred",
        "abc\tdef",
        "<script>alert(1)</script>",
        "id with spaces",
        "-starts-with-a-dash",
        "한국어",
        "",
    ],
)
def test_a_hostile_id_is_replaced_not_echoed(client, log_lines, hostile):
    response = client.get("/chatty/", headers={"X-Request-ID": hostile})

    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert request_id != hostile
    assert len(request_id) == 32 and request_id.isalnum()
    assert {line["request_id"] for line in log_lines() if line["logger"] == logger.name} == {
        request_id
    }


def test_a_server_error_is_mailed_to_admins_with_its_reason_and_id(settings, log_lines):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client = Client(raise_request_exception=False)

    response = client.get("/broken/", headers={"X-Request-ID": "req-500-check"})

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-500-check"
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "req-500-check" in message.subject
    assert "X-Request-ID: req-500-check" in message.body
    assert "ZeroDivisionError" in message.body
    assert "the reason of the failure" in message.body
    [error] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert error["request_id"] == "req-500-check"
    assert error["status"] == 500
    assert "ZeroDivisionError: the reason of the failure" in error["exception"]


def test_a_500_answered_by_a_view_is_mailed_with_its_id(settings):
    settings.ADMINS = [("Ops", "ops@example.org")]

    response = Client().get("/answers-500/", headers={"X-Request-ID": "req-view-500"})

    assert response.status_code == 500
    [message] = mail.outbox
    assert "req-view-500" in message.subject
    assert "X-Request-ID: req-view-500" in message.body


def test_no_mail_without_admins(settings):
    settings.ADMINS = []
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert mail.outbox == []


def test_admins_are_read_from_the_environment():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kbio.settings'; "
        "from django.conf import settings; print(settings.ADMINS)"
    )
    environment = {**os.environ, "ADMINS": "Ops Team <ops@example.org>, b@example.org"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('Ops Team', 'ops@example.org'), ('', 'b@example.org')]"
