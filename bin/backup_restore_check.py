"""Back up the PostgreSQL database named by DATABASE_URL, restore it to a fresh database and
prove the app serves from the copy.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio
    .venv/bin/python bin/backup_restore_check.py                   # back up and check kbio
    .venv/bin/python bin/backup_restore_check.py --load-fixtures   # what CI runs

1. (--load-fixtures) create a fresh source database on the same server, migrate it and load
   the fixtures; otherwise the database of DATABASE_URL is the source, and is only read;
2. pg_dump --format=custom, as the README's "Backups" section does;
3. create a fresh, empty database and pg_restore the dump into it;
4. compare every table's row count and every sequence's position with the source;
5. `manage.py migrate --check` and `manage.py check` on the copy;
6. serve the copy with `bin/serve` (gunicorn, DEBUG=0) and fetch /health/, the organization
   list and an organization's page, which must show what the source holds.

Every database and file it makes has a unique name and is removed at the end, failure or not.
Prints each step's time; exits non-zero on any difference.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from html import escape
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FIXTURES = ["taxonomy", "organizations", "partnering", "kbio2025"]


class CheckFailed(Exception):
    pass


def with_database(url: str, name: str) -> str:
    """The same server and options, another database (libpq takes postgres:// URIs)."""
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme in ("postgres", "postgresql", "pgsql") else parts.scheme
    return urlunsplit((scheme, parts.netloc, f"/{name}", parts.query, ""))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str) -> psycopg.Connection:
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str) -> None:
    with admin_connection(url) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )


def drop_database(url: str, name: str) -> None:
    with admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def run(command: list[str], database_url: str, **env: str) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url, **env}
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise CheckFailed(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def snapshot(url: str) -> dict[str, int]:
    """Rows of every table and the position of every sequence of the public schema."""
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        state = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            state[f"rows {table}"] = connection.execute(query).fetchone()[0]
        for name, last_value in connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            state[f"sequence {name}"] = last_value
        return state


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def serve_and_fetch(url: str, source_url: str, workdir: Path) -> None:
    """bin/serve on the restored database: the pages show the source's organizations."""
    with psycopg.connect(source_url) as connection:
        row = connection.execute(
            "SELECT slug, name FROM directory_organization ORDER BY name LIMIT 1"
        ).fetchone()
    if row is None:
        raise CheckFailed("the source holds no organization to look for in the copy")
    slug, name = row

    port = free_port()
    log = (workdir / "serve.log").open("w+")
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")},
        "DATABASE_URL": url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PYTHON": PYTHON,
    }
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise CheckFailed(f"bin/serve stopped:\n{log.read()}")
            try:
                status, body = fetch(f"{base}/health/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CheckFailed("bin/serve did not answer /health/ within 90 s")
            time.sleep(0.2)
        for path in ("/organizations/", f"/organizations/{slug}/"):
            status, body = fetch(base + path)
            if status != 200 or escape(name) not in body:
                raise CheckFailed(f"{path} answered {status} without {name!r}")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--load-fixtures",
        action="store_true",
        help="back up a fresh database holding the fixtures instead of DATABASE_URL's",
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        print("Set DATABASE_URL to a PostgreSQL database (postgres://...).", file=sys.stderr)
        return 2
    url = with_database(url, database_name(url))
    # A stop (Ctrl-C, CI's TERM) still removes what was made.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    unique = f"{os.getpid()}_{secrets.token_hex(3)}"
    prefix = (database_name(url) or "kbio")[:30]
    started = time.monotonic()
    timings: list[tuple[str, float]] = []

    def step(label: str, action, *args):
        began = time.monotonic()
        result = action(*args)
        timings.append((label, time.monotonic() - began))
        print(f"  {label}: {timings[-1][1]:.1f} s", flush=True)
        return result

    with ExitStack() as cleanup:
        workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="kbio-backup-")))
        source = url
        if options.load_fixtures:
            source_name = f"{prefix}_backup_source_{unique}"
            create_database(url, source_name)
            cleanup.callback(drop_database, url, source_name)
            source = with_database(url, source_name)
            step("migrate a fresh source", run, [PYTHON, "manage.py", "migrate", "-v0"], source)
            step("load the fixtures", run, [PYTHON, "manage.py", "loaddata", *FIXTURES], source)
        dump = workdir / "kbio.dump"
        step(
            "pg_dump --format=custom",
            run,
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={source}"],
            source,
        )
        size = dump.stat().st_size
        restored_name = f"{prefix}_restored_{unique}"
        create_database(url, restored_name)
        cleanup.callback(drop_database, url, restored_name)
        restored = with_database(url, restored_name)
        step(
            "pg_restore to a fresh database",
            run,
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            restored,
        )
        before, after = snapshot(source), snapshot(restored)
        if before != after:
            differences = {
                key: (before.get(key), after.get(key))
                for key in before.keys() | after.keys()
                if before.get(key) != after.get(key)
            }
            raise CheckFailed(f"the copy differs from the source: {differences}")
        step("migrate --check and check", run, [PYTHON, "-c", CHECKS], restored)
        step("serve the copy (bin/serve)", serve_and_fetch, restored, source, workdir)

    rows = sum(value for key, value in before.items() if key.startswith("rows "))
    tables = sum(1 for key in before if key.startswith("rows "))
    print(
        f"backup and restore check passed: {tables} tables, {rows} rows, "
        f"a {size / 1_000_000:.1f} MB dump, in {time.monotonic() - started:.1f} s"
    )
    return 0


# Both checks in one process: no unapplied migration on the copy, and the system check.
CHECKS = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kbio.settings'); "
    "django.setup(); from django.core.management import call_command; "
    "call_command('migrate', check=True, verbosity=0); call_command('check')"
)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"backup and restore check FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
