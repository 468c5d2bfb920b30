"""The Celery application. With no broker configured every task runs in-process (eager)."""

import os

from celery import Celery, Task
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")

# Set when this process is a Celery worker (its pool's children inherit it). A task function
# called directly in a web process, or run eagerly, must not lift the web's bounds.
IN_WORKER = False


@worker_init.connect
def _this_process_is_a_worker(**kwargs) -> None:
    global IN_WORKER
    IN_WORKER = True


class WorkerTask(Task):
    """A task run by a worker has no statement timeout: exports and reports may take minutes.
    And it fetches large results through server-side cursors, so a streamed export holds a
    chunk of rows in memory, not all of them.

    Web requests keep their timeout (settings.AFTERCARE_STATEMENT_TIMEOUT_MS) and client-side
    cursors, and so does a task run in-process inside a request.
    """

    def __call__(self, *args, **kwargs):
        if IN_WORKER and not self.request.is_eager:
            lift_statement_timeout()
            allow_server_side_cursors()
        return super().__call__(*args, **kwargs)


def allow_server_side_cursors() -> None:
    """In a worker process only: `.iterator()` streams through a server-side cursor again
    (settings turn them off for the web, where the statement timeout must hold)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True) or [connections["default"]]:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False


def lift_statement_timeout() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


app = Celery("aftercare", task_cls=WorkerTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
