"""Background work for reports: building an export, and deleting expired ones."""

from celery import shared_task

from aftercare.reports import jobs


@shared_task
def run_export(job_id: str) -> str:
    job = jobs.run(job_id)
    return job.status if job else "skipped"


@shared_task
def purge_expired_exports() -> int:
    return jobs.purge_expired()
