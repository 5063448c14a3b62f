"""Settings come from the environment, and production refuses the development secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kbio.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_the_development_secret():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_runs_with_its_own_secret_and_hosts():
    result = load_settings(DEBUG="0", SECRET_KEY="s" * 60, ALLOWED_HOSTS="partnering.example.org")
    assert result.returncode == 0, result.stderr
    assert "False ['partnering.example.org']" in result.stdout


def test_sqlite_by_default_and_postgresql_from_database_url():
    assert "sqlite3" in load_settings().stdout
    result = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/kbio")
    assert "django.db.backends.postgresql" in result.stdout


def test_three_interface_languages():
    from django.conf import settings

    assert [code for code, _ in settings.LANGUAGES] == ["en", "ko", "ja"]
    assert settings.USE_TZ


def test_demo_logins_are_refused_in_production():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kbio.settings'; "
        "django.setup(); from django.core.management import call_command; "
        "call_command('create_demo_users')"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DEBUG="0", SECRET_KEY="s" * 60, ALLOWED_HOSTS="partnering.example.org")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "local development only" in result.stderr
