"""The few shared records (in-app notifications), and the abstract pieces the domains' tables
are made of: who recorded a row and when (`Recorded`), a period from one day until another
(`Span`), the check that a period does not end before it starts (`ends_after_start`) and an
organisation a row may name (`optional_organisation`).

The abstract pieces add no table and change none: each column keeps the name, type and
options it had when every model spelled it out."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recorded(models.Model):
    """A row a worker recorded: who (kept when she leaves: the user becomes empty, the row
    stays) and when it was written."""

    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Span(models.Model):
    """A period from one day until another; it is still open while `end` is empty. Its table
    names the check `ends_after_start(name)` in its Meta: a constraint's name is the table's."""

    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True


def optional_organisation(verbose_name) -> models.ForeignKey:
    """An organisation a row may name (empty where none is named); an organisation named by a
    row cannot be deleted."""
    return models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


def ends_after_start(
    name: str, start: str = "start", end: str = "end", *, open_ended: bool = True
) -> models.CheckConstraint:
    """The check that a period does not end before it starts (an empty end is an open period
    where `open_ended`)."""
    after = Q(**{f"{end}__gte": F(start)})
    return models.CheckConstraint(
        condition=(Q(**{f"{end}__isnull": True}) | after) if open_ended else after, name=name
    )


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
