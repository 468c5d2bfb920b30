"""Jobs in the API: partner employers, placements with their fair-wage check, and the
retention follow-ups."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.livelihoods import fair_wage
from aftercare.livelihoods.models import LeftReason, PartnerEmployer, PayPeriod, RetentionOutcome
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    RegionCode,
    Version,
    money,
)


class EmployerSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=200)
    sector = serializers.CharField(max_length=120, required=False, allow_blank=True)
    region = RegionCode()
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="its entry in the directory, if any",
    )


class FollowUpOut(serializers.Serializer):
    months = serializers.IntegerField()
    due_on = serializers.DateField()
    outcome = serializers.CharField()
    left_reason = serializers.CharField()
    note = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class PlacementOut(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    employer = serializers.SerializerMethodField()
    role = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2)
    days_per_week = serializers.DecimalField(max_digits=3, decimal_places=1)
    wage_amount = serializers.SerializerMethodField()
    currency = serializers.CharField()
    pay_period = serializers.CharField()
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fair_wage = serializers.SerializerMethodField()
    follow_ups = FollowUpOut(many=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_employer(self, obj) -> dict:
        return {"id": str(obj.employer_id), "name": obj.employer.name}

    def get_wage_amount(self, obj) -> str:
        return money(obj.wage_amount, obj.currency)

    def get_fair_wage(self, obj) -> dict:
        return {
            "status": obj.fair_wage,
            "flagged": obj.flagged,
            "label": obj.get_fair_wage_display(),
            "message": fair_wage.explain(obj.fair_wage, obj.fair_wage_detail),
            "detail": obj.fair_wage_detail,
        }


class PlacementIn(serializers.Serializer):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=PartnerEmployer.objects.filter(is_active=True),
        help_text="a partner employer id (GET /api/v1/employers)",
    )
    role = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.5"), max_value=100
    )
    days_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=Decimal("0.5"), max_value=7, required=False
    )
    wage_amount = Amount()
    currency = Currency()
    pay_period = serializers.ChoiceField(choices=PayPeriod.choices)
    region = RegionCode(
        help_text="where the job is (a region code); defaults to the survivor's region"
    )


class PlacementPatch(PlacementIn):
    version = Version()
    end_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class RetentionIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[RetentionOutcome.RETAINED, RetentionOutcome.LEFT])
    left_reason = serializers.ChoiceField(
        choices=LeftReason.choices, required=False, allow_blank=True
    )
    left_on = PastDate(required=False, help_text="when the job was left; defaults to today")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
