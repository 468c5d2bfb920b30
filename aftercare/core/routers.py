"""Reports and exports read from a PostgreSQL streaming replica when one is configured.

`DATABASE_REPLICA_URL` adds the "replica" database. Only code inside `reading_from_replica()`
reads there: the report builders, the gap map, the CTDC export and the export files, which
scan whole networks and can lag a few seconds behind without harm. Everything else, every
write, and a case worker's own pages and the checks of who someone is (session, memberships,
roles) stay on the primary, where a change is seen at once.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, transaction

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("aftercare_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Reads inside this block go to the replica, if there is one."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a standby is read-only; it follows the primary's schema


def on_replica(function):
    """Run `function` with its reads on the replica (a report builder)."""
    from functools import wraps

    @wraps(function)
    def wrapper(*args, **kwargs):
        with reading_from_replica():
            return function(*args, **kwargs)

    return wrapper


@contextmanager
def room_to_sort(using: str):
    """A transaction on the database `using` in which PostgreSQL may sort and hash up to
    `AFTERCARE_REPORT_WORK_MEM` in memory (`work_mem`, for this transaction only), for a report
    or an export that groups a whole network. With the server's default (4 MB) the CTDC export's
    profiles at 1,000,000 survivors were sorted and joined in batches on disk: 7.4 s against
    3.8 s with 64 MB (issue 18). Elsewhere (SQLite, or the setting empty) it does nothing.
    """
    size = settings.AFTERCARE_REPORT_WORK_MEM
    connection = connections[using]
    if connection.vendor != "postgresql" or not size:
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [size]
            )
            previous = cursor.fetchone()[0]
        yield
        # Inside an enclosing transaction (a web request's) the setting would outlive the block
        # until that transaction ends: put the previous one back. (After an error the savepoint
        # is rolled back, and the setting with it.)
        if nested:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
