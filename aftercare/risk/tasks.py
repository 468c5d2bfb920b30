"""Periodic risk work. Celery beat runs it hourly (settings.CELERY_BEAT_SCHEDULE); in the
embedded mode the alerts page starts it through `aftercare.core.tasks.enqueue`, and cron can
run `aftercare flag-overdue-follow-ups`."""

from celery import shared_task


@shared_task
def flag_overdue_follow_ups(organisation_id: str | None = None) -> int:
    """Open an alert for each case whose risk follow-up date has passed; returns how many."""
    from aftercare.risk import services

    return services.flag_overdue_follow_ups(organisation_id=organisation_id)
