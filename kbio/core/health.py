"""The health URL a load balancer or a monitor polls: /health/.

It answers 200 and {"status": "ok", "checks": {...}} when every service the app needs answers,
503 and {"status": "down", "down": [names], ...} otherwise. Each check is one function in
CHECKS that raises when its service is unreachable; the reason goes to the log, never to the
(anonymous) caller. The job queue's broker is checked when one is configured
(`CELERY_BROKER_URL`); without it jobs run in-process and there is no broker to check.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database() -> None:
    """Every configured database answers a query."""
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    """The default cache stores a value and gives it back."""
    cache = caches["default"]
    key = f"health:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    cache.set(key, token, timeout=10)
    if cache.get(key) != token:
        raise RuntimeError("the cache did not return the value just stored")
    cache.delete(key)


def check_broker() -> None:
    """The job queue's broker accepts a connection."""
    from kbio.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=3)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _checks() -> dict[str, Callable[[], None]]:
    from kbio.jobs import in_process

    return {name: check for name, check in CHECKS.items() if name != "broker" or not in_process()}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    for name, check in _checks().items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            checks[name] = "down"
        else:
            checks[name] = "ok"
    down = [name for name, state in checks.items() if state != "ok"]
    if down:
        return JsonResponse({"status": "down", "down": down, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
