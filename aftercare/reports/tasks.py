"""Background work for reports: building an export, deleting expired ones, failing lost ones."""

from celery import shared_task

from aftercare.reports import export_jobs


# On the bulk queue (settings.CELERY_TASK_ROUTES). Idempotent: export_jobs.run claims a pending job
# with
# one UPDATE, so a second delivery does nothing; a transient failure puts the job back to pending
# and the task retries with backoff.
@shared_task(
    autoretry_for=export_jobs.TRANSIENT, retry_backoff=5, retry_backoff_max=300, max_retries=5
)
def run_export(job_id: str) -> str:
    job = export_jobs.run(job_id)
    return job.status if job else "skipped"


@shared_task
def purge_expired_exports() -> int:
    export_jobs.fail_stalled()
    return export_jobs.purge_expired()
