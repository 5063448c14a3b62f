"""Server time of the home, list, profile and matches pages, for a visitor and a member, with
the page cache off and on.

    .venv/bin/python bench/pages.py                     # SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_pages .venv/bin/python bench/pages.py
    CACHE_URL=redis://127.0.0.1:6379/1 CACHE_KEY_PREFIX=kbio-bench ...  # the cache in Redis

Loads the fixtures (taxonomy, organizations, partnering criteria, the 2025 event) and the demo
delegates into the database (creating a PostgreSQL database if needed) and requests each page
through Django's test Client in this process, so the figures are the server's own time (routing,
middlewares, views, queries, templates) without network. Templates are rendered as with DEBUG=0.
Prints the median and 95th percentile in ms and the queries per request; "off" makes every page
(PAGE_CACHE_SECONDS=0), "on" serves visitors' pages and the costly parts of members' pages from
the cache (kbio/core/pagecache.py). Printed, not asserted.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")

FIXTURES = ["taxonomy", "organizations", "partnering", "kbio2025"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    return parser.parse_args()


def create_database_if_missing(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    maintenance = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(autocommit=True, **maintenance) as connection:
        name = config["NAME"]
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def load():
    from django.core.management import call_command

    from kbio.directory.models import Organization
    from kbio.events.demo import demo_logins_create

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("loaddata", *FIXTURES, verbosity=0)
    return demo_logins_create()[0]


def timed(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm: the matching index, the first cached copy
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    args = parse_args()
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        create_database_if_missing(os.environ["DATABASE_URL"])
        database = "PostgreSQL"
    else:
        folder = tempfile.mkdtemp(prefix="kbio-bench-pages-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        database = "SQLite"

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from kbio.core import pagecache

    # Templates as in production (no debug information kept while rendering).
    settings.DEBUG = False
    login = load()
    from kbio.directory.models import Contact, Organization

    member = Contact.objects.select_related("organization", "user").get(
        user__username=login.username
    )
    profile = Organization.objects.active().exclude(pk=member.organization_id).order_by("slug")[0]
    pages = {
        "home": "/",
        "list": "/organizations/",
        "list, filtered": "/organizations/?kind=venture&country=KR&focus=ipsc-cell-therapy",
        "list, Japanese": "/ja/organizations/",
        "profile": profile.get_absolute_url(),
        "matches": f"/organizations/{member.organization.slug}/matches/",
    }
    print(
        f"{database}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
        f"{Organization.objects.count()} organizations, {args.requests} requests per page"
    )
    print(f"{'page':24} {'cache off: median':>17} {'p95':>6} {'queries':>7}   ", end="")
    print(f"{'cache on: median':>16} {'p95':>6} {'queries':>7}")
    visitor = Client(HTTP_HOST="localhost")
    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(member.user)
    for who, client in (("visitor", visitor), ("member", signed_in)):
        for name, url in pages.items():
            # Off and on one after the other, page by page: a machine busy with other work
            # weighs on both alike.
            figures = []
            for seconds in (0, 600):
                settings.PAGE_CACHE_SECONDS = seconds
                # A new data version retires every cached page (no flush of a shared Redis).
                pagecache.data_changed()
                figures.append(timed(client, url, args.requests))
            (off, off95, off_q), (on, on95, on_q) = figures
            print(
                f"{who + ' ' + name:24} {off:17.2f} {off95:6.2f} {off_q:7}   "
                f"{on:16.2f} {on95:6.2f} {on_q:7}"
            )


if __name__ == "__main__":
    main()
