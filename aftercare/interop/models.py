"""What the field-capture endpoints remember: which form submissions they already turned into
cases."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from aftercare.core.fields import EncryptedTextField


class SubmissionSource(models.TextChoices):
    OPENROSA = "openrosa", "ODK / OpenRosa"
    KOBO = "kobo", "KoboToolbox JSON"


class FieldSubmission(models.Model):
    """One submission of the HTCDS XLSForm, by its instance id, so a resend opens no second case.

    ODK Collect sends again when it did not hear the answer; Kobo's REST service retries.
    The id is unique per organisation: another organisation's submissions are no business of it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    instance_id = models.CharField(max_length=100)
    source = models.CharField(max_length=10, choices=SubmissionSource.choices)
    survivor = models.ForeignKey(
        "cases.Survivor", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instance_id"], name="one_case_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.instance_id}"


class HtcdsDetails(models.Model):
    """What HTCDS records of a case that Aftercare's own case has no field for, held so that a
    partner who sent it gets it back in an export: the standard's exact gender value where
    Aftercare's gender folds it, the forced-labour industry and type of sexual exploitation
    (which CTDC reports too), the incoming referral as the sender described it, and a closure
    reason written in words. Read by the HTCDS import and field capture, written by the export.
    """

    survivor = models.OneToOneField(
        "cases.Survivor", on_delete=models.CASCADE, primary_key=True, related_name="htcds"
    )
    gender = models.CharField(
        max_length=30, blank=True
    )  # TransgenderFeminine, TransgenderMasculine
    forced_labour_industries = models.JSONField(
        default=list, blank=True
    )  # ISIC sections, as the standard writes them
    sex_exploitation_types = models.JSONField(default=list, blank=True)
    referring_organisation = models.CharField(max_length=200, blank=True)
    incoming_referral_date = models.DateField(null=True, blank=True)
    incoming_referral_reason = models.CharField(max_length=200, blank=True)
    incoming_referral_details = EncryptedTextField(blank=True)
    closure_reason_text = EncryptedTextField(blank=True)

    HELD = (
        "gender",
        "forced_labour_industries",
        "sex_exploitation_types",
        "referring_organisation",
        "incoming_referral_date",
        "incoming_referral_reason",
        "incoming_referral_details",
        "closure_reason_text",
    )

    def __str__(self) -> str:
        return f"HTCDS details of {self.survivor_id}"
