"""Periodic livelihood work. Celery beat runs `open_due_follow_ups` hourly
(settings.CELERY_BEAT_SCHEDULE); recording a placement also enqueues it through
`aftercare.core.tasks.enqueue`, so a back-dated job's overdue follow-ups open at once."""

from celery import shared_task


@shared_task
def open_due_follow_ups(organisation_id: str | None = None) -> int:
    """Notify case staff of each retention follow-up that has fallen due; returns how many."""
    from aftercare.livelihoods import placements

    return placements.open_due_follow_ups(organisation_id=organisation_id)
