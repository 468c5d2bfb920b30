"""Consent per purpose and per organisation, kept as history: the newest row decides."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField
from aftercare.core.models import optional_organisation


class ConsentPurpose(models.TextChoices):
    SERVICE_DELIVERY = "service_delivery", _("Service delivery")
    REFERRAL = "referral", _("Referral to other organisations")
    ANONYMISED_REPORTING = "anonymised_reporting", _("Anonymised reporting")
    CONTACT = "contact", _("Being contacted")
    TRANSFER = "transfer", _("Transfer of her case to another organisation")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal, witnessed")
    WRITTEN = "written", _("Written, signed")
    DIGITAL = "digital", _("In the survivor portal")
    SMS = "sms", _("By SMS")


class GivenBy(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor")
    GUARDIAN = "guardian", _("The guardian")


class Consent(models.Model):
    """One decision. Never edited: a withdrawal is a newer row with `granted=False`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    # Empty means "any organisation"; a row naming one organisation overrides it for that one.
    organisation = optional_organisation(_("organisation"))
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SURVIVOR
    )
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["survivor", "purpose", "-recorded_at"], name="consent_latest")
        ]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "withdrawn"
        return f"{self.purpose} {verb} {self.recorded_at:%Y-%m-%d}"
