"""Aftercare: case management, referrals and survivor voice for anti-trafficking networks."""

from aftercare.celery import app as celery_app

__all__ = ["celery_app"]
