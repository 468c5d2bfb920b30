"""Periodic risk work: Celery beat runs it hourly (settings.CELERY_BEAT_SCHEDULE), cron can run
`aftercare flag-overdue-follow-ups`, and code can start it with `aftercare.core.tasks.enqueue`.
Where neither beat nor cron runs, the alerts page flags its organisation's at most hourly."""

from celery import shared_task


@shared_task
def flag_overdue_follow_ups(organisation_id: str | None = None) -> int:
    """Open an alert for each case whose risk follow-up date has passed; returns how many."""
    from aftercare.risk import services

    return services.flag_overdue_follow_ups(organisation_id=organisation_id)
