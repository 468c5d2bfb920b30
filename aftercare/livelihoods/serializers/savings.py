"""Savings in the API: a ledger entry, as read and as recorded."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.livelihoods.models import EntryKind
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    money,
)


class EntryOut(serializers.Serializer):
    id = serializers.UUIDField()
    currency = serializers.CharField(source="account.currency")
    sequence = serializers.IntegerField()
    kind = serializers.CharField()
    change = serializers.SerializerMethodField()
    balance_after = serializers.SerializerMethodField()
    entry_date = serializers.DateField()
    note = serializers.CharField()
    corrects = serializers.UUIDField(source="corrects_id", allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)
    recorded_at = serializers.DateTimeField()

    def get_change(self, obj) -> str:
        return money(obj.change, obj.account.currency)

    def get_balance_after(self, obj) -> str:
        return money(obj.balance_after, obj.account.currency)


class EntryIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    amount = Amount(help_text="above zero for deposits and withdrawals; signed for a correction")
    currency = Currency()
    entry_date = PastDate(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    corrects = serializers.UUIDField(
        required=False, allow_null=True, help_text="the entry a correction corrects"
    )
