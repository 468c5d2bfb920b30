"""Telling people something happened: in the app, and by e-mail through the task interface.

What a notification says is a Notice (aftercare.core.notices): a key and parameters, put into
words in the reader's language when the page is shown or the e-mail is sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from aftercare.core.models import Notification
from aftercare.core.notices import Notice
from aftercare.core.tasks import enqueue


def _content(message: Notice) -> dict:
    """Stored as its key and parameters: text in one language could not be read in another."""
    if not isinstance(message, Notice):
        raise TypeError(
            "a notification is a Notice (aftercare.core.notices): a key and parameters, not text"
        )
    return {"key": message.key, "params": message.params}


def notify_users(users: Iterable, message: Notice, link: str = "", organisation=None) -> int:
    """Notify each of `users`, about `organisation` when the message concerns one; returns how many.

    Which members of an organisation hear of something is a question of roles, answered by
    accounts (aftercare.accounts.services.notify_members), which hands the users to this."""
    content = _content(message)
    notes = Notification.objects.bulk_create(
        Notification(user=user, organisation=organisation, link=link, **content) for user in users
    )
    if notes:
        enqueue(send_notification_emails, [str(n.pk) for n in notes])
    return len(notes)


def notify_user(user, message: Notice, link: str = "", organisation=None) -> Notification:
    note = Notification.objects.create(
        user=user, organisation=organisation, link=link, **_content(message)
    )
    enqueue(send_notification_emails, [str(note.pk)])
    return note


def email_notice(
    address: str, message: Notice, link: str = "", language: str | None = None
) -> None:
    """E-mail a Notice to an address once the transaction commits, without storing it anywhere.

    For a message whose link is a secret (an invitation's one-time token): a Notification row
    would keep the link in the database and a task would carry it through the broker, so it is
    sent from this process, in `language` or the site's, and forgotten.
    """
    _content(message)
    base = getattr(settings, "AFTERCARE_BASE_URL", "")

    def send():
        with translation.override(language or settings.LANGUAGE_CODE):
            text = message.text()
        body = f"{text}\n\n{base}{link}\n\n— Aftercare"
        send_mail("Aftercare: " + text[:60], body, None, [address], fail_silently=True)

    transaction.on_commit(send)


@shared_task
def send_notification_emails(notification_ids: list[str]) -> int:
    """E-mail copies of notifications, each in its reader's language (console backend by
    default)."""
    sent = 0
    base = getattr(settings, "AFTERCARE_BASE_URL", "")
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not note.user.email:
            continue
        with translation.override(note.user.preferred_language or settings.LANGUAGE_CODE):
            text = note.text
        body = f"{text}\n\n{base}{note.link}\n\n— Aftercare"
        sent += send_mail(
            "Aftercare: " + text[:60], body, None, [note.user.email], fail_silently=True
        )
    return sent
