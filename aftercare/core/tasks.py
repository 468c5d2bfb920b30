"""The one interface for background work.

Define tasks with Celery's `shared_task` in an app's `tasks.py` and start them with
`enqueue(task, ...)`. Without a broker (the embedded default) they run in-process once the
current transaction commits; with `CELERY_BROKER_URL` set they go to the Celery workers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` after the surrounding transaction commits, so it sees what was written."""

    def send():
        if settings.AFTERCARE_TASKS_EAGER:
            task.apply(args=args, kwargs=kwargs, throw=True)
        else:
            task.apply_async(args=args, kwargs=kwargs)

    transaction.on_commit(send)
