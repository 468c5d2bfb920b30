"""What survivors make, in the API: products, production batches and sales with each maker's
share."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.livelihoods.models import SaleChannel
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    money,
)


class MakerIn(serializers.Serializer):
    case_code = serializers.CharField(max_length=16)
    weight = serializers.IntegerField(
        min_value=1, default=1, help_text="pieces made, or 1 each for equal shares"
    )


class ProductSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=200)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="the social enterprise that sells it",
    )
    description = serializers.CharField(required=False, allow_blank=True)
    materials = serializers.CharField(max_length=300, required=False, allow_blank=True)
    maker_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    makers = serializers.ListField(
        child=serializers.CharField(max_length=16),
        required=False,
        help_text="case codes of those who make it",
    )

    def to_representation(self, instance):
        data = {
            "id": str(instance.pk),
            "name": instance.name,
            "enterprise": str(instance.enterprise_id) if instance.enterprise_id else None,
            "description": instance.description,
            "materials": instance.materials,
            "maker_percent": str(instance.maker_percent),
            "makers": sorted(s.case_code for s in instance.makers.all()),
        }
        return data


class BatchIn(serializers.Serializer):
    made_on = PastDate()
    quantity = serializers.IntegerField(min_value=1)
    makers = MakerIn(
        many=True,
        allow_empty=False,
        help_text="case code and pieces made; the pieces add up to the quantity",
    )


class BatchOut(serializers.Serializer):
    id = serializers.UUIDField()
    made_on = serializers.DateField()
    quantity = serializers.IntegerField()
    makers = serializers.SerializerMethodField()

    def get_makers(self, obj) -> list[dict]:
        return [
            {"case_code": m.survivor.case_code, "pieces": m.pieces}
            for m in obj.makers.select_related("survivor")
        ]


class SaleOut(serializers.Serializer):
    id = serializers.UUIDField()
    product = serializers.UUIDField(source="product_id")
    batch = serializers.UUIDField(source="batch_id", allow_null=True)
    channel = serializers.CharField()
    quantity = serializers.IntegerField()
    currency = serializers.CharField()
    sold_on = serializers.DateField()
    unit_price = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    makers_part = serializers.SerializerMethodField()
    enterprise_part = serializers.SerializerMethodField()
    shares = serializers.SerializerMethodField()

    def get_unit_price(self, obj) -> str:
        return money(obj.unit_price, obj.currency)

    def get_total(self, obj) -> str:
        return money(obj.total, obj.currency)

    def get_makers_part(self, obj) -> str:
        return money(obj.makers_part, obj.currency)

    def get_enterprise_part(self, obj) -> str:
        return money(obj.enterprise_part, obj.currency)

    def get_shares(self, obj) -> list[dict]:
        return [
            {
                "case_code": s.survivor.case_code,
                "weight": s.weight,
                "amount": money(s.amount, s.currency),
            }
            for s in obj.shares.all()
        ]


class SaleIn(serializers.Serializer):
    channel = serializers.ChoiceField(choices=SaleChannel.choices)
    quantity = serializers.IntegerField(min_value=1)
    unit_price = Amount()
    currency = Currency()
    sold_on = PastDate()
    batch = serializers.UUIDField(
        required=False, allow_null=True, help_text="shares by the pieces each made in it"
    )
    makers = MakerIn(many=True, required=False, help_text="shares by these weights instead")
