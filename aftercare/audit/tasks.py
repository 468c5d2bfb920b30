"""Background work for the audit trail: the coming months' partitions (PostgreSQL)."""

from celery import shared_task

from aftercare.audit import partitions


@shared_task
def ensure_audit_partitions() -> int:
    return len(partitions.ensure_partitions())
