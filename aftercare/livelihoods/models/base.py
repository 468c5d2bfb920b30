"""Field helpers shared by the livelihood records: money is a Decimal with a currency."""

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


class PayPeriod(models.TextChoices):
    HOURLY = "hourly", _("per hour")
    DAILY = "daily", _("per day")
    WEEKLY = "weekly", _("per week")
    MONTHLY = "monthly", _("per month")
