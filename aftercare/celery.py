"""The Celery application. With no broker configured every task runs in-process (eager)."""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")


class WorkerTask(Task):
    """A task run by a worker has no statement timeout: exports and reports may take minutes.

    Web requests keep theirs (settings.AFTERCARE_STATEMENT_TIMEOUT_MS), and so does a task
    run in-process inside a request.
    """

    def __call__(self, *args, **kwargs):
        if not self.request.is_eager:
            lift_statement_timeout()
        return super().__call__(*args, **kwargs)


def lift_statement_timeout() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


app = Celery("aftercare", task_cls=WorkerTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
