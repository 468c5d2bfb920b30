"""The log of submissions from offline field capture, which makes each one count once.

The phone gives every record a UUID when it is made. The server stores the key with the
outcome and the exact answer it gave, in the same transaction as the write, so a record sent
again after a lost answer gets the same answer and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmissionKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance at an activity")
    ACTIVITY = "activity", _("A new dialogue or event with its attendance")
    FOLLOW_UP = "follow_up", _("School follow-up")


class SubmissionOutcome(models.TextChoices):
    APPLIED = "applied", _("Saved")
    CONFLICT = "conflict", _("Conflict")
    INVALID = "invalid", _("Refused")


class Submission(models.Model):
    key = models.UUIDField(primary_key=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=SubmissionKind.choices)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the submitted content")
    outcome = models.CharField(max_length=10, choices=SubmissionOutcome.choices)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    object_id = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.outcome}"

    def audit_label(self) -> str:
        return f"capture {self.kind} {self.outcome}"
