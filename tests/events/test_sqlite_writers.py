"""SQLite, as `make run` uses it, queues concurrent writers instead of failing one of them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="About the SQLite set-up; the PostgreSQL pass has its own races.",
)
def test_twelve_identical_requests_at_once_save_one_and_tell_the_rest(tmp_path):
    """Before writers took the lock when their transaction began, some of the twelve got
    "database is locked" (a server error) instead of the form's duplicate message."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "DEBUG": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.events.sqlite_writers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["saved"] == 1
    # One request is sent (a redirect to it); the eleven others see the form again, told that
    # the request already exists.
    assert result["outcomes"] == ["200 duplicate"] * 11 + ["302"], result
