"""Matching at scale: the matches page's server time and every organization's top 10.

Run against PostgreSQL (the database is created when missing, migrated and filled on first
use):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_matching \\
        python bench/matching.py [--organizations 10000] [--views 300] [--workers 2]

It prints:
* the time to build the in-memory ranking index from the database (the first page view after
  any directory change pays it once per server process);
* the matches page's server time over many views of different organizations (Django's test
  client in-process: URL routing, middleware, view, queries, template), median and p95, and
  the queries per view;
* the time to compute every organization's top 10 with the reasons of each suggestion in
  words, spread over --workers processes, as a nightly export would.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")
# The test client runs outside a server; allow it as a client for this script.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def ensure_database() -> None:
    """Create the PostgreSQL database DATABASE_URL names when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    try:
        psycopg.connect(dbname=config["NAME"], **params).close()
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
        print(f"Created the database {config['NAME']}.", flush=True)


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from kbio.directory.models import FocusArea, Interest, Organization  # noqa: E402
from kbio.matching import index as matching_index  # noqa: E402
from kbio.matching.models import MatchingProfile  # noqa: E402
from kbio.matching.suggestions import explain, ranked  # noqa: E402


def prepare(organizations: int) -> None:
    call_command("migrate", verbosity=0)
    if not FocusArea.objects.exists():
        call_command("loaddata", "taxonomy", verbosity=0)
    prefix = "demo-1-"
    generated = Organization.objects.filter(slug__startswith=prefix)
    # Generated before organizations carried partnering criteria: generate them again.
    stale = not Interest.objects.filter(organization__slug__startswith=prefix).exists()
    if generated.count() != organizations or stale:
        print(f"Generating {organizations} organizations (seed 1)...", flush=True)
        call_command("generate_demo", organizations=organizations, seed=1, stdout=io.StringIO())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_view(views: int) -> None:
    client = Client()
    slugs = sorted(matching_index.current_index().by_slug)
    rng = random.Random(1)
    picked = [rng.choice(slugs) for _ in range(views)]
    times, queries = [], set()
    for slug in picked:
        url = reverse("matching:organization_matches", args=[slug])
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (slug, response.status_code)
        queries.add(len(captured))
    ms = [t * 1000 for t in times]
    print(
        f"matches page, {views} views of random organizations: "
        f"median {statistics.median(ms):.1f} ms, "
        f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms; queries per view: "
        f"{sorted(queries)}"
    )
    filtered = []
    for slug in picked[:100]:
        url = reverse("matching:organization_matches", args=[slug])
        started = time.perf_counter()
        client.get(url, {"kind": "pharma", "min_score": 30, "page": 2})
        filtered.append((time.perf_counter() - started) * 1000)
    print(
        f"matches page with filters (kind, minimum score, page 2), 100 views: median "
        f"{statistics.median(filtered):.1f} ms, p95 {percentile(filtered, 0.95):.1f} ms"
    )


_index = None
_weights = None
_workers = 1


def _share(job: tuple[int, bool]) -> tuple[int, int]:
    """Every k-th organization's top 10, each suggestion explained: its reasons with their
    points (what the engine returns), or also in words."""
    k, words = job
    engine = _index.engine
    lists = explained = 0
    for viewer in _index.orgs[k::_workers]:
        if words:
            for candidate, _score in ranked(_index, viewer, _weights, limit=10, minimum=0):
                explain(_index, viewer, candidate, _weights)
                explained += 1
        else:
            row = _index.row(viewer)
            for partner, _score in engine.top(row, _weights, limit=10):
                engine.explain(row, partner, _weights)
                explained += 1
        lists += 1
    return lists, explained


def bench_batch(workers: int) -> None:
    global _index, _weights, _workers
    _index = matching_index.current_index()
    _weights = MatchingProfile.objects.weights()
    _workers = workers
    connection.close()  # forked workers must not share the connection
    context = get_context("fork")
    for words, what in ((False, "reasons (codes and points)"), (True, "reasons in words")):
        started = time.perf_counter()
        with context.Pool(workers) as pool:
            done = pool.map(_share, [(k, words) for k in range(workers)])
        elapsed = time.perf_counter() - started
        lists = sum(n for n, _ in done)
        explained = sum(n for _, n in done)
        print(
            f"top 10 of every organization with {what}: {lists} lists, {explained} "
            f"suggestions in {elapsed:.1f} s on {workers} processes"
        )
    viewers = _index.orgs[:: max(1, len(_index.orgs) // 300)]
    started = time.perf_counter()
    for viewer in viewers:
        _index.engine.top(_index.row(viewer), _weights, limit=10)
    one = (time.perf_counter() - started) / len(viewers) * 1000
    print(f"one organization's top 10 against all (as the page ranks): {one:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database: the figures are for PostgreSQL.")
        sys.exit(2)
    prepare(args.organizations)
    active = Organization.objects.active().count()
    print(f"PostgreSQL, {active} active organizations, {os.cpu_count()} CPUs")
    from kbio.matching.services import match_index_invalidate

    match_index_invalidate()
    started = time.perf_counter()
    index = matching_index.current_index()
    engine = index.engine
    print(
        f"index build (a fixed number of queries, then arrays): "
        f"{time.perf_counter() - started:.2f} s for {len(index.orgs)} organizations, "
        f"{len(engine.t.items)} offered items, {len(engine.t.interests)} interests, "
        f"{len(engine.t.need_owner)} service needs"
    )
    bench_view(args.views)
    bench_batch(args.workers)


if __name__ == "__main__":
    main()
