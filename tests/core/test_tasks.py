"""The task interface: in-process by default; Redis is exercised where REDIS_URL is set."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.accounts.models import ApiToken
from aftercare.accounts.tasks import purge_expired_tokens
from aftercare.core.tasks import enqueue

pytestmark = pytest.mark.django_db


def test_enqueued_task_runs_in_process_after_commit(
    case_worker_a, django_capture_on_commit_callbacks
):
    raw, token = ApiToken.issue(case_worker_a)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(purge_expired_tokens)
    assert ApiToken.objects.filter(pk=token.pk).exists()  # nothing ran before the commit
    for callback in callbacks:
        callback()
    assert not ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis cache test skipped"
)
def test_redis_cache_round_trip(settings):
    from django.core.cache import caches

    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    cache = caches["default"]
    cache.set("aftercare-test-key", {"ok": True}, 30)
    assert cache.get("aftercare-test-key") == {"ok": True}
    cache.delete("aftercare-test-key")


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Celery broker test skipped"
)
def test_celery_broker_accepts_a_task_on_redis():
    from aftercare.celery import app

    with app.connection_for_write(os.environ["REDIS_URL"]) as connection:
        connection.ensure_connection(max_retries=2)
        assert connection.connected


def test_every_scheduled_task_exists_and_housekeeping_is_scheduled(settings):
    """Beat sends tasks by name: a misspelt or missing task would be dropped by the worker in
    silence,
    and a purge nobody schedules never runs (expired API tokens were kept for ever)."""
    from celery import current_app

    import aftercare.celery  # noqa: F401 - registers the app and autodiscovers the tasks

    current_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(current_app.tasks), scheduled - set(current_app.tasks)
    assert "aftercare.accounts.tasks.purge_expired_tokens" in scheduled
    assert "aftercare.reports.tasks.purge_expired_exports" in scheduled
