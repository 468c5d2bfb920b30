"""What the livelihood records share: money is a Decimal with a currency, a row keeps who
recorded it, and an employer, a programme or a product is known by its name."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.livelihoods.money import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    CURRENCY_CHOICES,
    validate_currency,
)

AMOUNT, CURRENCY = _("amount"), _("currency")


def amount_field(verbose_name=AMOUNT, *, positive: bool = True, **kwargs) -> models.DecimalField:
    validators = [MinValueValidator(0)] if positive else []
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        validators=validators,
        **kwargs,
    )


def currency_field(verbose_name=CURRENCY, **kwargs) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=3,
        choices=CURRENCY_CHOICES,
        validators=[validate_currency],
        help_text=_("ISO 4217 code"),
        **kwargs,
    )


def by_user() -> models.ForeignKey:
    """Who created or recorded the row: kept (as null) when that account is deleted, and not
    listed from the user's side."""
    return models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )


class Named(models.Model):
    """A record people know by its name: listed by it, shown by it, and audited by it."""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name[:200]


class PayPeriod(models.TextChoices):
    HOURLY = "hourly", _("per hour")
    DAILY = "daily", _("per day")
    WEEKLY = "weekly", _("per week")
    MONTHLY = "monthly", _("per month")
