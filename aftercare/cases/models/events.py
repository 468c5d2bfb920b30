"""Historic trafficking events: where and when she was recruited, moved and exploited (HTCDS
`hte_`)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField


class TraffickingEventType(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")


class TraffickingEvent(models.Model):
    """One event of her trafficking. The place is a town, never a street: an exact address
    belongs in the police file, not in the care record. The description is encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="trafficking_events"
    )
    kind = models.CharField(_("type"), max_length=12, choices=TraffickingEventType.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2")
    )
    place = models.CharField(_("town or city"), max_length=120, blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.date or ''}".strip()

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} trafficking event"
