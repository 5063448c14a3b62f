# K-Bio Partnering: `make run` sets up everything and serves the app; `make test` runs the suite;
# `make serve` serves it as production does (gunicorn, DEBUG=0).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FIXTURES := taxonomy organizations partnering kbio2025
HOST ?= 127.0.0.1:8000

.PHONY: run serve worker beat housekeeping test install migrate fixtures demo-login browser lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

fixtures: migrate
	$(BIN)/python manage.py loaddata $(FIXTURES)

demo-login: fixtures
	$(BIN)/python manage.py create_demo_users

run: demo-login
	$(BIN)/python manage.py runserver $(HOST)

# Production serving on this machine: DEBUG=0, collectstatic, migrate, gunicorn (bin/serve).
GUNICORN_BIND ?= $(HOST)
serve: install
	GUNICORN_BIND=$(GUNICORN_BIND) bin/serve

# Background jobs (README "Background jobs"), with the environment of `make serve` and
# CELERY_BROKER_URL=redis://127.0.0.1:6379/0: the worker, and the one scheduler of periodic jobs.
worker: install
	$(BIN)/celery -A kbio worker -l info

beat: install
	$(BIN)/celery -A kbio beat -l info --schedule=$(or $(CELERY_BEAT_FILE),celerybeat-schedule)

# Expired sessions and old login records; `make beat` runs it daily, or run it from cron.
housekeeping: install
	$(BIN)/python manage.py clearsessions
	$(BIN)/python manage.py axes_reset_logs --age 30

# Headless Chromium and CJK fonts for the browser tests (Debian packages, installed once).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || \
	  { echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests..."; \
	    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
