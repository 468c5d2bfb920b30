"""Income from sources the network did not arrange (placements and sales count themselves)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import amount_field, by_user, currency_field


class IncomeSource(models.TextChoices):
    OTHER_JOB = "other_job", _("A job found without the network")
    SELF_EMPLOYMENT = "self_employment", _("Own business or self-employment")
    CASUAL = "casual", _("Casual work")
    GRANT = "grant", _("Social grant or benefit")
    FAMILY = "family", _("Support from family")
    OTHER = "other", _("Other")


class IncomeRecord(models.Model):
    """What the survivor received from one source in one month (`month` is its first day)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="income_records"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    source = models.CharField(_("source"), max_length=20, choices=IncomeSource.choices)
    amount = amount_field()
    currency = currency_field()
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "source"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="income_month_is_first_day",
                violation_error_message=_("Store the month as its first day."),
            ),
        ]
        indexes = [models.Index(fields=["survivor", "month"], name="income_by_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.source}: {self.amount} {self.currency}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} income {self.month:%Y-%m}"
