"""The few shared records: in-app notifications."""

from __future__ import annotations

import uuid

from django.db import models


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user. It names case codes, never people, since e-mail copies leave the
    system."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # What it says: a key of aftercare.core.notices.NOTICES and its parameters, worded in the
    # reader's language when shown. `message` holds the text of rows written before keys existed.
    key = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The notification in the active language (the stored text for rows from before keys)."""
        from aftercare.core.notices import words

        return words(self.key, self.params) if self.key else self.message
