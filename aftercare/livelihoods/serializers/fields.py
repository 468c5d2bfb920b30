"""The fields the livelihood API shares: money (an amount, its currency, money as a string),
a date not in the future, a region by its code and the version a write is based on."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from aftercare.livelihoods.money import AMOUNT_DIGITS, AMOUNT_PLACES, CURRENCY_CHOICES, rounded
from aftercare.network.models import Region


class Amount(serializers.DecimalField):
    """An amount as a JSON string or number; its currency's minor unit is checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_PLACES)
        super().__init__(**kwargs)


class Currency(serializers.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "ISO 4217 code")
        super().__init__(choices=CURRENCY_CHOICES, **kwargs)


class PastDate(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day > timezone.localdate():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return day


class RegionCode(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)


class Version(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "the version you last read; 409 if it is no longer current")
        super().__init__(**kwargs)


def money(amount: Decimal | None, currency: str) -> str | None:
    """An amount as a string to the currency's minor unit: JSON numbers would lose cents."""
    return None if amount is None else str(rounded(amount, currency))
