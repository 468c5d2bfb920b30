"""The API's shapes of care settings: a survivor's periods of care and the programme costs."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.caresettings.models import Appeal, CareSettingKind, CostCategory, SettingGroup
from aftercare.livelihoods.serializers.fields import Amount, Currency, Version, money
from aftercare.network.taxonomy import ServiceDomain


class CareSettingOut(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    kind = serializers.ChoiceField(choices=CareSettingKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    group = serializers.ChoiceField(choices=SettingGroup.choices)
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    organisation = serializers.SerializerMethodField()
    may_leave = serializers.BooleanField(allow_null=True)
    lawyer_access = serializers.BooleanField(allow_null=True)
    lawyer_access_on = serializers.DateField(allow_null=True)
    appeal = serializers.CharField(
        help_text="none, lodged, granted or refused; empty for a setting that is not closed"
    )
    appeal_on = serializers.DateField(allow_null=True)
    days = serializers.SerializerMethodField()
    days_without_lawyer = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_organisation(self, obj) -> dict | None:
        return (
            {"id": str(obj.organisation_id), "name": obj.organisation.name}
            if obj.organisation_id
            else None
        )

    def get_days(self, obj) -> int:
        return obj.days()

    def get_days_without_lawyer(self, obj) -> int | None:
        return obj.days_without_lawyer()


class CareSettingIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CareSettingKind.choices)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    may_leave = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="required for a closed setting"
    )
    lawyer_access = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="required for a closed setting"
    )
    lawyer_access_on = serializers.DateField(required=False, allow_null=True)
    appeal = serializers.ChoiceField(choices=Appeal.choices, required=False, allow_blank=True)
    appeal_on = serializers.DateField(required=False, allow_null=True)


class CareSettingPatch(CareSettingIn):
    version = Version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


class CostOut(serializers.Serializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField(source="organisation_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    category = serializers.ChoiceField(choices=CostCategory.choices)
    amount = serializers.SerializerMethodField()
    currency = serializers.CharField()
    setting_group = serializers.CharField()
    service_domain = serializers.CharField()
    description = serializers.CharField()

    def get_amount(self, obj) -> str:
        return money(obj.amount, obj.currency)


class CostIn(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    category = serializers.ChoiceField(choices=CostCategory.choices)
    amount = Amount()
    currency = Currency()
    setting_group = serializers.ChoiceField(
        choices=SettingGroup.choices, required=False, allow_blank=True, default=""
    )
    service_domain = serializers.ChoiceField(
        choices=ServiceDomain.choices, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
