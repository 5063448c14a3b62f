"""Two database sessions at the same moment, in a fixed order (PostgreSQL only).

`race(first, second)` runs `first` in a transaction that stays open (holding its row locks)
until `second`, started in another thread with its own connection, is seen waiting for a lock
in pg_stat_activity (or has finished); then `first` commits and `second` goes on. Each result
is "ok" or the exception its action raised, so a test reads who won and who was refused.
"""

import threading
import time
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

# What an action may raise when the database or a service refuses it: kept as its result.
REFUSALS = (ValidationError, IntegrityError)


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(first: Callable[[], object], second: Callable[[], object]) -> dict[str, object]:
    results: dict[str, object] = {}
    first_wrote = threading.Event()
    release_first = threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_wrote.set()
                assert release_first.wait(20), "the second action never reached the lock"
            results["first"] = "ok"
        except REFUSALS as exc:
            results["first"] = exc
        finally:
            first_wrote.set()
            connection.close()

    def run_second():
        try:
            second()
            results["second"] = "ok"
        except REFUSALS as exc:
            results["second"] = exc
        finally:
            connection.close()

    a = threading.Thread(target=run_first)
    b = threading.Thread(target=run_second)
    a.start()
    assert first_wrote.wait(20)
    b.start()
    deadline = time.monotonic() + 20
    while b.is_alive() and lock_waiters() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    release_first.set()
    a.join(30)
    b.join(30)
    return results
