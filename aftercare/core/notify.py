"""Telling people something happened: in the app, and by e-mail through the task interface."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from aftercare.core.models import Notification
from aftercare.core.tasks import enqueue


def notify_members(organisation, roles: Iterable[str], message: str, link: str = "") -> int:
    """Notify the active members of `organisation` holding one of `roles`; returns how many."""
    from aftercare.accounts.models import Membership

    members = Membership.objects.filter(
        organisation=organisation, role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user")
    notes = Notification.objects.bulk_create(
        Notification(user=m.user, organisation=organisation, message=message[:300], link=link) for m in members
    )
    if notes:
        enqueue(send_notification_emails, [str(n.pk) for n in notes])
    return len(notes)


def notify_user(user, message: str, link: str = "", organisation=None) -> Notification:
    note = Notification.objects.create(user=user, organisation=organisation, message=message[:300], link=link)
    enqueue(send_notification_emails, [str(note.pk)])
    return note


@shared_task
def send_notification_emails(notification_ids: list[str]) -> int:
    """E-mail copies of notifications to users who have an address (console backend by default)."""
    sent = 0
    base = getattr(settings, "AFTERCARE_BASE_URL", "")
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not note.user.email:
            continue
        body = f"{note.message}\n\n{base}{note.link}\n\n— Aftercare"
        sent += send_mail("Aftercare: " + note.message[:60], body, None, [note.user.email], fail_silently=True)
    return sent
