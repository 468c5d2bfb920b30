"""The export task is idempotent (a second delivery does nothing) and retries a transient
failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from aftercare.core import sealed
from aftercare.reports import builders, export_jobs
from aftercare.reports.models import ExportJob
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def pending(user, org):
    return ExportJob.objects.create(
        kind="caseload",
        format="csv",
        requested_by=user,
        organisation=org,
        role="supervisor",
        expires_at=timezone.now() + timedelta(hours=1),
    )


def test_a_second_delivery_of_the_same_job_does_nothing(supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    job = pending(supervisor_a, org_a)
    assert export_jobs.run(job.pk).status == "done"
    stored = ExportJob.objects.get(pk=job.pk).stored_file
    assert export_jobs.run(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).stored_file == stored


def test_a_transient_failure_puts_the_job_back_and_the_task_retries_it(
    supervisor_a, org_a, monkeypatch
):
    from aftercare.reports.tasks import run_export

    SurvivorFactory.create_batch(2, organisation=org_a)
    job = pending(supervisor_a, org_a)
    real, calls = builders.build, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(builders, "build", flaky)
    with pytest.raises(OperationalError):
        export_jobs.run(job.pk)
    assert ExportJob.objects.get(pk=job.pk).status == "pending"
    assert run_export.apply(args=[str(job.pk)]).get() == "done"
    job.refresh_from_db()
    assert (job.status, job.rows) == ("done", 2)
    assert sealed.read_all(job.stored_file).count(b"\n") == 3
    assert OperationalError in run_export.autoretry_for


def test_a_job_whose_worker_was_lost_is_failed_not_left_running(supervisor_a, org_a, settings):
    """A worker killed mid-export (out of memory, a redeploy) leaves its job claimed: a second
    delivery cannot claim it, and without this the page would wait for ever."""
    settings.AFTERCARE_EXPORT_STALL_MINUTES = 15
    lost, working = pending(supervisor_a, org_a), pending(supervisor_a, org_a)
    long_ago = timezone.now() - timedelta(minutes=16)
    ExportJob.objects.filter(pk=lost.pk).update(status="running", heartbeat_at=long_ago)
    ExportJob.objects.filter(pk=working.pk).update(status="running", heartbeat_at=timezone.now())

    assert export_jobs.fail_stalled() == 1
    lost.refresh_from_db()
    working.refresh_from_db()
    assert lost.status == "failed" and "stopped" in lost.error and lost.finished_at
    assert working.status == "running"
    assert export_jobs.fail_stalled() == 0


def test_progress_is_a_heartbeat(supervisor_a, org_a):
    SurvivorFactory.create_batch(3, organisation=org_a)
    job = pending(supervisor_a, org_a)
    before = timezone.now()
    export_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.heartbeat_at >= before


def test_the_hourly_purge_also_fails_stalled_jobs(supervisor_a, org_a):
    from aftercare.reports.tasks import purge_expired_exports

    lost = pending(supervisor_a, org_a)
    ExportJob.objects.filter(pk=lost.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(days=1)
    )
    purge_expired_exports.apply().get()
    assert ExportJob.objects.get(pk=lost.pk).status == "failed"
