"""Referral deadlines: a reminder before the response deadline, expiry after it."""

from celery import shared_task

from aftercare.referrals import services


@shared_task
def remind_one(referral_id: str) -> bool:
    return services.remind(referral_id)


@shared_task
def expire_one(referral_id: str) -> bool:
    return services.expire(referral_id)


@shared_task
def sweep_deadlines() -> dict:
    """Run by Celery beat every few minutes, and after each new referral in in-process mode."""
    return services.sweep()
