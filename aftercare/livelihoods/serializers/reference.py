"""The network's reference figures in the API: wage standards and exchange rates."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.livelihoods.models import PayPeriod, WageKind
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    RegionCode,
)


class WageStandardSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    region = RegionCode(required=True, allow_null=False)
    kind = serializers.ChoiceField(choices=WageKind.choices)
    amount = Amount()
    currency = Currency()
    period = serializers.ChoiceField(choices=PayPeriod.choices)
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=1, max_value=100, required=False
    )
    days_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=1, max_value=7, required=False
    )
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RateSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    base = Currency()
    quote = Currency()
    rate = serializers.DecimalField(
        max_digits=20, decimal_places=8, help_text="1 base = rate quote"
    )
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
