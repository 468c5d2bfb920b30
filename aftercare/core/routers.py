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
