"""Requests per second of the main pages under the production server, as a share of a
hello-world view's, measured in the same run; then a mixed load of pages at 32 connections.

    .venv/bin/python bench/load.py                      # kbio_bench_load on 127.0.0.1, Redis /9
    .venv/bin/python bench/load.py --seconds 20 --mix-seconds 60

Needs wrk, the HTTP load generator (`apt-get install -y wrk` on Debian or Ubuntu, `brew
install wrk` on macOS), PostgreSQL and Redis. It:

1. creates the PostgreSQL database of --database if missing, migrates it, loads the fixtures,
   generates 10,000 organizations (`generate_demo --organizations 10000 --seed 1`; kept for the
   next run) and (re)makes the demo logins (`create_demo_users`);
2. serves the app as `make serve` does (bin/serve: DEBUG=0, collectstatic, gunicorn with
   gunicorn.conf.py, its workers, timeouts and access log), the cache in Redis (--cache), with
   bench/load_settings.py: the product's settings plus /bench/hello/, a view that answers
   "Hello, world" through the same middlewares (bench/load_urls.py; not a product address);
3. logs the demo delegates in through the login form and passes their session cookie to wrk;
4. drives each page alone for --seconds (after a warm-up that lets every worker build what it
   keeps in memory) and prints requests per second, median and 99th percentile latency and
   errors (answers other than 2xx/3xx, and socket errors), and the requests per second as a
   share of hello-world's (the mean of its runs at the start and at the end);
5. drives a mix of pages, for visitors and for the two logged-in delegates, for --mix-seconds
   at --mix-connections, and prints the same figures.

The targets (issue 14): visitors' home, list, profile and matches at least 25 % of
hello-world's requests per second, logged-in ones at least 10 %, no error in the mix. Printed,
not asserted: the machine's load average is printed with them, and other work on the machine
weighs on every figure.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))
FIXTURES = ["taxonomy", "organizations", "partnering", "kbio2025"]
ORGANIZATIONS = 10_000
SEED = 1
# The demo delegates of `create_demo_users` (kbio/events/demo.py): username, password, slug.
DELEGATES = [
    ("yipscell-bd", "kbio-yipscell-demo", "yipscell"),
    ("astellas-scouting", "kbio-astellas-demo", "astellas"),
]
HELLO = "/bench/hello/"
# The profile both a visitor and the first delegate read (another organization than theirs).
PROFILE = "astellas"
TARGETS = {"visitor": 0.25, "member": 0.10}

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""

MIX_LUA = """
local pages = {PAGES}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
init = function(args)
  math.randomseed(seed * 7919)
end
request = function()
  local page = pages[math.random(#pages)]
  local headers = {}
  if page[2] ~= "" then headers["Cookie"] = page[2] end
  return wrk.format("GET", page[1], headers)
end
"""


class BenchError(Exception):
    pass


@dataclass
class Figures:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="postgres://postgres@127.0.0.1:5432/kbio_bench_load",
        help="PostgreSQL database to fill and serve (created when missing)",
    )
    parser.add_argument(
        "--cache", default="redis://127.0.0.1:6379/9", help="Redis address of the cache"
    )
    parser.add_argument("--seconds", type=int, default=15, help="wrk run per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed wrk run before each page")
    parser.add_argument("--connections", type=int, default=16, help="connections per page run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--mix-connections", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--conn-max-age",
        default="60",
        help="CONN_MAX_AGE of the server (seconds a database connection is kept; production's)",
    )
    parser.add_argument(
        "--gunicorn",
        default="",
        help='more gunicorn options, for a trial (e.g. "--max-requests 0"); none by default',
    )
    parser.add_argument("--skip-mix", action="store_true", help="only the pages, one by one")
    parser.add_argument("--only", nargs="*", help="only the pages whose label holds one of these")
    return parser.parse_args()


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(
            "bench/load.py drives the server with wrk, which is not installed here.\n"
            "Install it: `apt-get install -y wrk` (Debian, Ubuntu), `brew install wrk` (macOS),\n"
            "or build it from its source (github.com/wg/wrk); then run this again."
        )
    return wrk


def postgres(url: str, dbname: str | None = None):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    return psycopg.connect(
        autocommit=True,
        dbname=dbname or config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )


def create_database_if_missing(url: str) -> None:
    import dj_database_url
    from psycopg import sql

    name = dj_database_url.parse(url)["NAME"]
    with postgres(url, dbname="postgres") as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def manage(environment: dict, *arguments: str) -> None:
    # DEBUG=1: the demo logins are refused otherwise (never made in production).
    completed = subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env={**environment, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kbio.settings"},
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise BenchError(f"manage.py {' '.join(arguments)} failed:\n{completed.stderr}")


def fill_database(environment: dict) -> None:
    url = environment["DATABASE_URL"]
    create_database_if_missing(url)
    manage(environment, "migrate", "--noinput", "--verbosity", "0")
    with postgres(url) as connection:
        fixtures = connection.execute(
            "SELECT count(*) FROM events_event WHERE slug = 'kbio-2025'"
        ).fetchone()[0]
        generated = connection.execute(
            "SELECT count(*) FROM directory_organization WHERE slug LIKE %s", [f"demo-{SEED}-%"]
        ).fetchone()[0]
    if not fixtures:
        print("Loading the fixtures...", flush=True)
        manage(environment, "loaddata", *FIXTURES, "--verbosity", "0")
    if generated != ORGANIZATIONS:
        print(f"Generating {ORGANIZATIONS:,} organizations (a few minutes)...", flush=True)
        manage(
            environment,
            "generate_demo",
            "--organizations",
            str(ORGANIZATIONS),
            "--seed",
            str(SEED),
        )
    manage(environment, "create_demo_users")
    with postgres(url) as connection:
        # A live database is vacuumed and analysed in the background; a fresh one not yet.
        connection.execute("VACUUM ANALYZE")


def sample_slugs(url: str) -> tuple[list[str], list[str]]:
    """Some organizations from the fixtures and some generated ones, always the same."""
    with postgres(url) as connection:
        real = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM directory_organization WHERE is_active AND slug NOT LIKE "
                "'demo-%%' ORDER BY slug LIMIT 30"
            )
        ]
        generated = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM directory_organization WHERE is_active AND slug LIKE %s "
                "ORDER BY md5(slug) LIMIT 30",
                [f"demo-{SEED}-%"],
            )
        ]
    return real, generated


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """bin/serve (gunicorn, gunicorn.conf.py, DEBUG=0) with the bench's settings."""

    def __init__(self, environment: dict, workdir: Path, workers: int | None, options: list[str]):
        self.options = options
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "serve.log"
        self.environment = {
            **environment,
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PYTHON": PYTHON,
        }
        self.environment.pop("DEBUG", None)
        if workers:
            self.environment["WEB_CONCURRENCY"] = str(workers)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.log = self.log_path.open("w+")
        self.process = subprocess.Popen(
            [str(ROOT / "bin" / "serve"), *self.options],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"bin/serve stopped:\n{self.log_path.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/health/", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError("bin/serve did not answer /health/ within 120 s")
            time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def workers(self) -> int:
        found = re.findall(r"Booting worker with pid", self.log_path.read_text())
        return len(found)


def log_in(base: str, username: str, password: str) -> str:
    """The session cookie of a login through the login form, as a Cookie header's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=20) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise BenchError("the login page holds no CSRF token")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request, timeout=20) as response:
        response.read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise BenchError(f"logging in as {username} set no session cookie")
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def fetch(base: str, path: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wrk(
    binary: str,
    url: str,
    seconds: int,
    connections: int,
    threads: int,
    script: Path,
    cookie: str = "",
) -> Figures:
    command = [
        binary,
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={script}",
        url,
    ]
    if cookie:
        command[1:1] = ["--header", f"Cookie: {cookie}"]
    completed = subprocess.run(command, capture_output=True, text=True)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH ")), None)
    if completed.returncode != 0 or line is None:
        raise BenchError(f"wrk failed:\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(line[len("BENCH ") :])
    return Figures(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        status_errors=data["status"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


def load_average() -> str:
    return ", ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> int:
    args = parse_args()
    binary = require_wrk()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")},
        "DATABASE_URL": args.database,
        "CACHE_URL": args.cache,
        "CACHE_KEY_PREFIX": "kbio-bench-load",
        "CONN_MAX_AGE": str(args.conn_max_age),
    }
    # The jobs run in-process as with `make serve` alone (no worker started here).
    environment.pop("CELERY_BROKER_URL", None)
    print(f"Machine: {os.cpu_count()} CPUs, load average {load_average()} (1, 5, 15 min).")
    fill_database(environment)
    real, generated = sample_slugs(args.database)
    workdir = Path(tempfile.mkdtemp(prefix="kbio-bench-load-"))
    (workdir / "report.lua").write_text(REPORT_LUA)

    with Server(environment, workdir, args.workers, args.gunicorn.split()) as server:
        base = server.base
        cookies = {name: log_in(base, name, password) for name, password, _slug in DELEGATES}
        member_cookie = cookies[DELEGATES[0][0]]
        own = DELEGATES[0][2]
        pages = [
            ("home", "/"),
            ("list", "/organizations/"),
            ("profile", f"/organizations/{PROFILE}/"),
            ("matches", f"/organizations/{own}/matches/"),
        ]
        # Each page answers 200, and a member's shows the login's organization.
        status, body = fetch(base, "/", member_cookie)
        if status != 200 or "Demo BD lead" not in body:
            raise BenchError("the logged-in start page does not show the demo delegate")
        runs = [("hello-world", "", HELLO, "")]
        for who, cookie in (("visitor", ""), ("member", member_cookie)):
            for name, path in pages:
                runs.append((f"{name}, {who}", who, path, cookie))
        if args.only:
            runs = [
                run
                for run in runs
                if run[0] == "hello-world" or any(word in run[0] for word in args.only)
            ]
        for label, _who, path, cookie in runs:
            status, _body = fetch(base, path, cookie)
            if status != 200:
                raise BenchError(f"{label}: {path} answered {status}")

        print(
            f"\nbench/load.py: gunicorn (gunicorn.conf.py) with {server.workers()} workers, "
            f"DEBUG=0, PostgreSQL ({args.database.rsplit('/', 1)[-1]}, "
            f"{ORGANIZATIONS:,} generated organizations and the fixtures), Redis cache, "
            f"CONN_MAX_AGE={args.conn_max_age}"
            f"{', gunicorn ' + args.gunicorn if args.gunicorn else ''}.\n"
            f"wrk: {args.seconds} s per page after a {args.warmup} s warm-up, "
            f"{args.connections} connections, {args.threads} threads. "
            f"Load average before: {load_average()}.\n"
        )
        results: dict[str, Figures] = {}
        runs.append(("hello-world, again", "", HELLO, ""))
        for label, _who, path, cookie in runs:
            script = workdir / "report.lua"
            if args.warmup:
                wrk(binary, base + path, args.warmup, args.connections, 1, script, cookie)
            results[label] = wrk(
                binary, base + path, args.seconds, args.connections, args.threads, script, cookie
            )
        hello = (results["hello-world"].per_second + results["hello-world, again"].per_second) / 2
        header = (
            f"{'page':<22} {'req/s':>8} {'share':>7} {'target':>7} {'p50 ms':>8} {'p99 ms':>8}"
            f" {'errors':>7}"
        )
        print(header)
        print("-" * len(header))
        for label, who, _path, _cookie in runs:
            figures = results[label]
            share = figures.per_second / hello if hello else 0.0
            target = TARGETS.get(who)
            verdict = "" if target is None else f"{target:>6.0%}{'' if share >= target else '!'}"
            print(
                f"{label:<22} {figures.per_second:>8.1f} {share:>7.1%} {verdict:>7} "
                f"{figures.p50_ms:>8.1f} {figures.p99_ms:>8.1f} {figures.errors:>7}"
            )
        print(
            f"\nshare: requests per second over hello-world's mean ({hello:.1f}); '!' marks a "
            "page under its target. errors: answers other than 2xx/3xx plus socket errors."
        )

        if not args.skip_mix:
            mix = []
            for slug in real[:20] + generated[:10]:
                mix.append((f"/organizations/{slug}/", ""))
            for slug in real[:3] + generated[:2]:
                mix.append((f"/organizations/{slug}/matches/", ""))
            mix += [
                ("/", ""),
                ("/organizations/", ""),
                ("/organizations/?kind=venture&country=KR", ""),
                ("/organizations/?page=2", ""),
                ("/ko/organizations/", ""),
                ("/ja/", ""),
            ]
            visitor_paths = len(mix)
            for username, _password, slug in DELEGATES:
                cookie = cookies[username]
                mix += [
                    ("/", cookie),
                    ("/organizations/", cookie),
                    (f"/organizations/{slug}/matches/", cookie),
                    ("/organizations/?kind=pharma", cookie),
                ]
                mix += [(f"/organizations/{other}/", cookie) for other in real[:8]]
            # As many picks for visitors' pages as for members'.
            weighted = (
                mix[:visitor_paths] * (len(mix) - visitor_paths)
                + mix[visitor_paths:] * visitor_paths
            )
            lua_pages = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in weighted)
            mix_script = workdir / "mix.lua"
            mix_script.write_text(MIX_LUA.replace("{PAGES}", "{" + lua_pages + "}") + REPORT_LUA)
            for path, cookie in mix:
                status, _body = fetch(base, path, cookie)
                if status != 200:
                    raise BenchError(f"mix: {path} answered {status}")
            before = load_average()
            figures = wrk(
                binary,
                base + "/",
                args.mix_seconds,
                args.mix_connections,
                args.threads,
                mix_script,
            )
            print(
                f"\nMix: {len(mix)} addresses ({visitor_paths} for visitors, the rest for the "
                f"two logged-in delegates, half the requests each), {args.mix_seconds} s at "
                f"{args.mix_connections} connections. Load average before: {before}.\n"
                f"{figures.per_second:.1f} req/s ({figures.per_second / hello:.1%} of "
                f"hello-world), p50 {figures.p50_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms, "
                f"{figures.status_errors} answers other than 2xx/3xx, "
                f"{figures.socket_errors} socket errors (target: 0 errors)."
            )
        print(f"\nLoad average after: {load_average()}. Server log: {server.log_path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/load.py: {error}")
