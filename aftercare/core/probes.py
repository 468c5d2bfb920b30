"""Readiness: can this process reach what it needs to serve a request?

Each dependency is checked in its own thread with a deadline, so a database or Redis that
hangs (rather than refusing) makes `/ready` answer 503 in about a second instead of holding a
gunicorn worker until the load balancer gives up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection

TIMEOUT_SECONDS = 1.5


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's own connection; nothing else will close it


def check_cache() -> None:
    cache.set("aftercare:ready", "1", timeout=10)
    if cache.get("aftercare:ready") != "1":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    """With no broker configured tasks run in-process, and there is nothing to reach."""
    if not settings.CELERY_BROKER_URL:
        return
    with current_app.connection_for_write() as conn:  # the project's app (aftercare.celery)
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def readiness(timeout: float | None = None) -> dict[str, str]:
    """Each check's outcome by name: "ok", "timeout", or the class of the error (never its
    text, which may hold a password). The checks run at once, so the slowest sets the time."""
    results: dict[str, str] = {}

    def run(name: str, check: Callable[[], None]) -> None:
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure means "not ready"; its name is reported
            results[name] = f"error: {type(exc).__name__}"

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in CHECKS.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + (TIMEOUT_SECONDS if timeout is None else timeout)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, "timeout") for name in CHECKS}
