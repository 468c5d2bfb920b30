"""Income in the API: income from other sources, a maker's share of a sale, and the answer
shape of the economic outcomes."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from aftercare.livelihoods.models import IncomeSource
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    money,
)


class IncomeOut(serializers.Serializer):
    id = serializers.UUIDField()
    month = serializers.SerializerMethodField()
    source = serializers.CharField()
    amount = serializers.SerializerMethodField()
    currency = serializers.CharField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()

    def get_month(self, obj) -> str:
        return obj.month.strftime("%Y-%m")

    def get_amount(self, obj) -> str:
        return money(obj.amount, obj.currency)


class IncomeIn(serializers.Serializer):
    month = PastDate(help_text="any day of the month (YYYY-MM-DD); stored as the month")
    source = serializers.ChoiceField(choices=IncomeSource.choices)
    amount = Amount()
    currency = Currency()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ShareOut(serializers.Serializer):
    sale = serializers.UUIDField(source="sale_id")
    product = serializers.CharField(source="sale.product.name")
    enterprise = serializers.CharField(source="sale.product.enterprise.name", default=None)
    sold_on = serializers.DateField(source="sale.sold_on")
    channel = serializers.CharField(source="sale.channel")
    quantity = serializers.IntegerField(source="sale.quantity")
    sale_total = serializers.SerializerMethodField()
    weight = serializers.IntegerField()
    amount = serializers.SerializerMethodField()
    currency = serializers.CharField()

    def get_sale_total(self, obj) -> str:
        return money(obj.sale.total, obj.currency)

    def get_amount(self, obj) -> str:
        return money(obj.amount, obj.currency)


OUTCOMES_SCHEMA = inline_serializer(
    "EconomicOutcomes",
    {
        "currency": serializers.CharField(),
        "months": serializers.ListField(child=serializers.DictField()),
        "self_sufficiency": serializers.DictField(),
        "placements": serializers.DictField(child=serializers.IntegerField()),
        "earnings_from_sales": serializers.DictField(child=serializers.CharField()),
        "savings": serializers.DictField(child=serializers.CharField()),
        "training": serializers.DictField(child=serializers.IntegerField()),
        "in_school": serializers.BooleanField(),
    },
)
