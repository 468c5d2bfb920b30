"""Households in the API: a household, the support it was given and the visits after."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.livelihoods.models import Situation, SupportKind
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    RegionCode,
)


class SupportSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    given_on = PastDate()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    value = Amount(required=False, allow_null=True)
    currency = Currency(required=False, allow_blank=True)


class FollowUpSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    support = serializers.UUIDField(source="support_id", required=False, allow_null=True)
    visited_on = PastDate()
    situation = serializers.ChoiceField(choices=Situation.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    next_visit = serializers.DateField(required=False, allow_null=True)


class HouseholdSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    region = RegionCode()
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    members = serializers.IntegerField(min_value=1, max_value=100)
    children = serializers.IntegerField(min_value=0, max_value=100, default=0)
    survivor = serializers.UUIDField(
        source="survivor_id",
        required=False,
        allow_null=True,
        help_text="a case your organisation holds, if a survivor lives here",
    )
    vulnerability = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(read_only=True)


class HouseholdDetail(HouseholdSerializer):
    support = SupportSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
