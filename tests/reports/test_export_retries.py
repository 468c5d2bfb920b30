"""The export task is idempotent (a second delivery does nothing) and retries a transient failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from aftercare.core import sealed
from aftercare.reports import builders, jobs
from aftercare.reports.models import ExportJob
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db


def pending(user, org):
    return ExportJob.objects.create(kind="caseload", format="csv", requested_by=user, organisation=org,
                                    role="supervisor", expires_at=timezone.now() + timedelta(hours=1))


def test_a_second_delivery_of_the_same_job_does_nothing(supervisor_a, org_a):
    SurvivorFactory(organisation=org_a)
    job = pending(supervisor_a, org_a)
    assert jobs.run(job.pk).status == "done"
    stored = ExportJob.objects.get(pk=job.pk).stored_file
    assert jobs.run(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).stored_file == stored


def test_a_transient_failure_puts_the_job_back_and_the_task_retries_it(supervisor_a, org_a, monkeypatch):
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
        jobs.run(job.pk)
    assert ExportJob.objects.get(pk=job.pk).status == "pending"
    assert run_export.apply(args=[str(job.pk)]).get() == "done"
    job.refresh_from_db()
    assert (job.status, job.rows) == ("done", 2)
    assert sealed.read_all(job.stored_file).count(b"\n") == 3
    assert OperationalError in run_export.autoretry_for
