"""What the field-capture endpoints remember: which form submissions they already turned into cases."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SubmissionSource(models.TextChoices):
    OPENROSA = "openrosa", "ODK / OpenRosa"
    KOBO = "kobo", "KoboToolbox JSON"


class FieldSubmission(models.Model):
    """One submission of the HTCDS XLSForm, by its instance id, so a resend opens no second case.

    ODK Collect sends again when it did not hear the answer; Kobo's REST service retries.
    The id is unique per organisation: another organisation's submissions are no business of it.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    instance_id = models.CharField(max_length=100)
    source = models.CharField(max_length=10, choices=SubmissionSource.choices)
    survivor = models.ForeignKey("cases.Survivor", null=True, on_delete=models.SET_NULL, related_name="+")
    received_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "instance_id"], name="one_case_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.instance_id}"
