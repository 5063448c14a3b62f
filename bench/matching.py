"""Matching at scale: the matches page's server time and every organization's top 10.

Run against PostgreSQL (the database is created, migrated and filled on first use):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbio_bench_matching \\
        python bench/matching.py [--organizations 10000] [--views 300] [--workers 2]

It prints:
* the time to build the in-memory ranking index from the database (the first page view after
  any directory change pays it once per server process);
* the matches page's server time over many views of different organizations (Django's test
  client in-process: URL routing, middleware, view, queries, template), median and p95, and
  the queries per view;
* the time to compute every organization's top 10, spread over --workers processes (each pair
  is scored once, its score being the same from both sides), then the time to put the reasons
  of all those suggestions into words, as a nightly export would.
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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from kbio.directory.models import FocusArea, Organization  # noqa: E402
from kbio.lib.ranking import merge_tops  # noqa: E402
from kbio.matching import index as matching_index  # noqa: E402
from kbio.matching.models import MatchingProfile  # noqa: E402
from kbio.matching.suggestions import explain  # noqa: E402


def prepare(organizations: int) -> None:
    call_command("migrate", verbosity=0)
    if not FocusArea.objects.exists():
        call_command("loaddata", "taxonomy", verbosity=0)
    prefix = "demo-1-"
    if Organization.objects.filter(slug__startswith=prefix).count() != organizations:
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


def _share(k: int):
    return _index.population.top_for_all(_weights, 10, (k, _workers))


def _explain(chunk: list[tuple[int, list[int]]]) -> int:
    orgs = _index.population.orgs
    done = 0
    for row, partners in chunk:
        for partner in partners:
            explain(_index, orgs[row], orgs[partner], _weights)
            done += 1
    return done


def bench_batch(workers: int) -> None:
    global _index, _weights, _workers
    _index = matching_index.current_index()
    _weights = MatchingProfile.objects.weights()
    _workers = workers
    connection.close()  # forked workers must not share the connection
    context = get_context("fork")
    started = time.perf_counter()
    with context.Pool(workers) as pool:
        tops = merge_tops(pool.map(_share, range(workers)), 10)
    ranking = time.perf_counter() - started
    listed = sum(len(top) for top in tops)
    print(
        f"top 10 of every organization: {len(tops)} lists, {listed} suggestions in "
        f"{ranking:.1f} s on {workers} processes"
    )
    chunks = [
        [(row, [partner for _, partner in tops[row]]) for row in range(k, len(tops), workers * 8)]
        for k in range(workers * 8)
    ]
    started = time.perf_counter()
    with context.Pool(workers) as pool:
        explained = sum(pool.map(_explain, chunks))
    reasons = time.perf_counter() - started
    print(
        f"their reasons in words: {explained} suggestions explained in {reasons:.1f} s on "
        f"{workers} processes; lists and reasons together {ranking + reasons:.1f} s"
    )
    viewers = _index.population.orgs[:: max(1, len(tops) // 300)]
    started = time.perf_counter()
    for viewer in viewers:
        _index.population.top(viewer, _weights, limit=10)
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
    print(
        f"index build (8 queries + arrays): {time.perf_counter() - started:.2f} s for "
        f"{len(index.population.orgs)} organizations and "
        f"{len(index.population.asset_rows)} open assets"
    )
    bench_view(args.views)
    bench_batch(args.workers)


if __name__ == "__main__":
    main()
