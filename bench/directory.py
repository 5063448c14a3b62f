"""Server time and query counts of the directory pages with 10,000 organizations on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench python bench/directory.py

Creates the database if it does not exist, migrates it, loads the taxonomy and generates the
organizations (kept for the next run when the count already matches; --fresh makes them again).
Each page is requested through Django's test Client, in the process, so the figures are the
server's own time (URL routing, views, queries, templates) without network or browser. The goal
is a median of at most 30 ms per page. The figures are printed, not asserted.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")

GOAL_MS = 30.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="generate the organizations again")
    return parser.parse_args()


def require_postgresql() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/directory.py measures PostgreSQL, the production database: set DATABASE_URL="
            "postgres://user@host:port/name. Figures from SQLite would not be representative."
        )
    return url


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


def load(organizations: int, fresh: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from kbio.directory.models import Organization

    call_command("migrate", verbosity=0)
    call_command("loaddata", "taxonomy", verbosity=0)
    present = Organization.objects.filter(slug__startswith="demo-1-").count()
    if present == organizations and not fresh:
        print(f"Reusing the {present:,} generated organizations already in the database.")
    else:
        call_command("generate_demo", organizations=organizations, seed=1)
    with connection.cursor() as cursor:
        # A live database is vacuumed and analysed in the background; a freshly loaded one not yet.
        cursor.execute("VACUUM ANALYZE")


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # read now: later requests clear the log
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    for _ in range(5):  # warm caches (templates, translations, database buffers)
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[18],
        "queries": query_count,
        "bytes": len(response.content),
    }


def main() -> None:
    args = parse_args()
    url = require_postgresql()
    create_database_if_missing(url)
    # Production runs with DEBUG off and persistent connections; measure the same way.
    os.environ.setdefault("CONN_MAX_AGE", "60")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from kbio.directory.models import Contact, Organization

    settings.DEBUG = False
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic here
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    load(args.organizations, args.fresh)
    venture = (
        Organization.objects.filter(kind="venture")
        .annotate(n=Count("assets"))
        .order_by("-n", "slug")
        .first()
    )
    for number in range(3):
        Contact.objects.get_or_create(
            organization=venture,
            email=f"delegate{number}@bench.example.org",
            defaults={"name": f"Delegate {number}"},
        )
    user, _ = get_user_model().objects.get_or_create(username="bench-participant")
    visitor, participant = Client(), Client()
    participant.force_login(user)

    ipsc_in_korea = "kind=venture&country=KR&focus=ipsc-cell-therapy"
    several = "kind=venture&focus=oncology&focus=antibody&seeks=licensing&q=bio"
    pages = [
        ("list", visitor, "/organizations/"),
        ("list, page 200", visitor, "/organizations/?page=200"),
        ("list, iPSC ventures in Korea", visitor, f"/organizations/?{ipsc_in_korea}"),
        ("list, four filters and a word", visitor, f"/organizations/?{several}"),
        ("list, text search (asset name)", visitor, "/organizations/?q=HA-1"),
        ("list in Korean, pharma in Japan", visitor, "/ko/organizations/?kind=pharma&country=JP"),
        ("list, no result", visitor, "/organizations/?q=nothing-like-this"),
        ("profile", visitor, venture.get_absolute_url()),
        ("profile, logged in", participant, venture.get_absolute_url()),
        ("profile in Japanese", visitor, "/ja" + venture.get_absolute_url()),
        ("home", visitor, "/"),
    ]

    total = Organization.objects.count()
    machine_load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(
        f"\nDirectory pages, {total:,} organizations, PostgreSQL "
        f"{connection.pg_version // 10000}, DEBUG off, CONN_MAX_AGE={os.environ['CONN_MAX_AGE']}, "
        f"{args.requests} requests per page after 5 warm-up requests.\n"
        f"Machine: {os.cpu_count()} CPUs, load average {machine_load} "
        "(other work on the machine slows all figures).\n"
    )
    print(f"{'page':<34} {'median ms':>9} {'p95 ms':>8} {'queries':>8}  goal")
    for label, client, page_url in pages:
        figures = measure(client, page_url, args.requests)
        verdict = "ok" if figures["median"] <= GOAL_MS else f"over {GOAL_MS:.0f} ms"
        print(
            f"{label:<34} {figures['median']:>9.1f} {figures['p95']:>8.1f} "
            f"{figures['queries']:>8}  {verdict}"
        )


if __name__ == "__main__":
    main()
