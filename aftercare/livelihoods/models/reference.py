"""Reference data a network keeps: wage standards per region and currency, and exchange rates.

Both are rows, not settings, so a network adds a new minimum wage the day it is gazetted,
and every check made before keeps the standard it was made against.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.models.base import PayPeriod, amount_field, by_user, currency_field


class WageKind(models.TextChoices):
    MINIMUM = "minimum", _("Minimum wage")
    LIVING = "living", _("Living wage")


class WageStandard(models.Model):
    """A minimum or living wage for a region, in one currency, from a date.

    A district without its own standard uses its province's, then its country's
    (`fair_wage.standard_for`). A new figure is a new row with a later `valid_from`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WageKind.choices)
    amount = amount_field()
    currency = currency_field()
    period = models.CharField(_("pay period"), max_length=10, choices=PayPeriod.choices)
    # What "full time" means for this standard: how a monthly figure becomes an hourly one.
    hours_per_week = models.DecimalField(
        _("full-time hours a week"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(40),
        validators=[MinValueValidator(1)],
    )
    days_per_week = models.DecimalField(
        _("working days a week"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(5),
        validators=[MinValueValidator(1)],
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the gazette or study it comes from"),
    )
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region__name", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "currency", "valid_from"], name="one_wage_standard_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="wage_standard_positive",
                violation_error_message=_("Enter an amount above zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "kind", "valid_from"], name="wage_standard_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} {self.period} ({self.valid_from})"

    def audit_label(self) -> str:
        return f"{self.kind} wage {self.currency} from {self.valid_from}"


class ExchangeRate(models.Model):
    """One unit of `base` is worth `rate` units of `quote`, from `valid_from` until a newer row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    base = currency_field(_("from currency"))
    quote = currency_field(_("to currency"))
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=8)
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["base", "quote", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "valid_from"], name="one_rate_a_day"),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0),
                name="rate_positive",
                violation_error_message=_("Enter a rate above zero."),
            ),
            models.CheckConstraint(
                condition=~models.Q(base=models.F("quote")),
                name="rate_between_two_currencies",
                violation_error_message=_("A rate is between two different currencies."),
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} from {self.valid_from}"

    def audit_label(self) -> str:
        return f"{self.base}/{self.quote} from {self.valid_from}"
