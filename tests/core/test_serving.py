"""`make serve` (bin/serve) serves the app as production does: DEBUG=0, migrated, static files
collected and served with a long cache life, under gunicorn, with JSON log lines that carry
each request's id; without SECRET_KEY it says it made one up for the run."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path):
    """bin/serve on a fresh SQLite file and a free port, one worker; its output when stopped."""
    port = free_port()
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHON=str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python",
    )
    out, err = (tmp_path / "stdout").open("w+"), (tmp_path / "stderr").open("w+")
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=environment,
        stdout=out,
        stderr=err,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    output: dict[str, str] = {}

    def stop() -> dict[str, str]:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        out.seek(0)
        err.seek(0)
        output.update(stdout=out.read(), stderr=err.read())
        return output

    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, stop()["stderr"]
            try:
                if fetch(f"{base}/health/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "bin/serve did not answer within 120 s"
            time.sleep(0.2)
        yield base, stop
    finally:
        stop()


def test_make_serve_serves_as_production_does(served):
    base, stop = served

    status, headers, body = fetch(f"{base}/", {"X-Request-ID": "serve-home-1"})
    assert status == 200
    assert headers["X-Request-ID"] == "serve-home-1"
    assert b"K-Bio" in body
    # DEBUG=0: a missing page is the plain 404, not Django's debug page.
    status, headers, body = fetch(f"{base}/no-such-page/", {"X-Request-ID": "serve-404-1"})
    assert status == 404
    assert b"URLconf" not in body
    # Static files under their hashed names, cached for a year (collectstatic, WhiteNoise).
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["favicon.svg"]
    status, headers, _body = fetch(f"{base}/static/{hashed}")
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    # Plain HTTP on this machine: no redirect to https, no Secure cookie that it cannot send.
    status, headers, _body = fetch(f"{base}/accounts/login/")
    assert status == 200
    assert "csrftoken=" in headers["Set-Cookie"] and "Secure" not in headers["Set-Cookie"]

    output = stop()
    assert "SECRET_KEY is not set" in output["stderr"]
    access = [json.loads(line) for line in output["stdout"].splitlines()]
    by_id = {line.get("request_id"): line for line in access}
    assert by_id["serve-home-1"]["path"] == "/"
    assert by_id["serve-home-1"]["status"] == 200
    assert by_id["serve-404-1"]["status"] == 404
    assert {line["logger"] for line in access} == {"gunicorn.access"}
    errors = [json.loads(line) for line in output["stderr"].splitlines() if line.startswith("{")]
    [not_found] = [line for line in errors if line["logger"] == "django.request"]
    assert not_found["request_id"] == "serve-404-1"
    assert not_found["status"] == 404
