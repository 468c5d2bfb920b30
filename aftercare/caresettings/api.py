"""API: a survivor's care settings, programme costs, and outcomes by care setting.

Every view names its right first (403 for a role without it), then fetches the case through
`services.case_to_read` / `case_to_record` (404 for a case the caller may not know about,
403 for a partner organisation: where she lives stays with the organisation holding her case).
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.caresettings import comparison, services
from aftercare.caresettings.models import Appeal, CareSettingKind, CostCategory, SettingGroup
from aftercare.cases.counting import SCOPE_PARAM, scope_for
from aftercare.core.api import api_actor
from aftercare.core.stats.indicators import parse_period
from aftercare.livelihoods.api.common import Resource
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


PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class CareSettingsView(Resource):
    """Periods of where and under what regime she lives; only the organisation holding the case."""

    output, body = CareSettingOut, CareSettingIn
    openapi = {
        "get": {"operation_id": "survivor_care_settings_list", "parameters": PAGING},
        "post": {"operation_id": "survivor_care_settings_create"},
    }

    def rows(self, actor, survivor_id):
        return services.settings_of(services.case_to_read(actor, survivor_id))

    def to_record(self, actor, survivor_id):
        return services.case_to_record(actor, survivor_id)

    def create(self, actor, survivor, data):
        return services.record_setting(actor, survivor, data)


class CareSettingView(Resource):
    output, patch_body = CareSettingOut, CareSettingPatch
    openapi = {"patch": {"operation_id": "survivor_care_setting_update"}}

    def to_record(self, actor, survivor_id, setting_id):
        return services.case_to_record(actor, survivor_id)

    def update(self, actor, survivor, data):
        version = data.pop("version")
        return services.update_setting(actor, survivor, self.kwargs["setting_id"], data, version)


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


class CostsView(Resource):
    """Programme costs: an organisation's supervisors and admins keep their own; the network's
    report roles read every organisation's."""

    output, body = CostOut, CostIn
    openapi = {
        "get": {"operation_id": "programme_costs_list", "parameters": PAGING},
        "post": {"operation_id": "programme_costs_create"},
    }

    def rows(self, actor):
        return services.costs_visible_to(actor)

    def create(self, actor, target, data):
        return services.record_cost(actor, data)


def comparison_as_dict(result: comparison.Comparison) -> dict:
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if hasattr(value, "as_tuple"):  # Decimal: a string, so no cent is lost
            return str(value)
        if isinstance(value, float):
            return round(value, 4)
        return value

    data = plain(dataclasses.asdict(result))
    data["from"], data["to"] = result.start.isoformat(), result.end.isoformat()
    del data["start"], data["end"]
    return data


class CareSettingsReportView(APIView):
    """Outcomes by care setting for whole days `from`..`to` (default: this year to date): per
    setting group the survivors, months in the setting, five outcome rates with `numerator`,
    `denominator` and a 95% `interval`, the group's mix of age bands, exploitation and risk, and
    the attributed cost per survivor-month. Counts of fewer than `small_cell_min` people are
    `null` (rates: `hidden: true`). The groups differ in who was placed where; see `note`."""

    @extend_schema(
        operation_id="reports_care_settings",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=False),
            OpenApiParameter("to", OpenApiTypes.DATE, required=False),
            OpenApiParameter(
                "currency", str, required=False, description="ISO 4217 code for the costs"
            ),
            SCOPE_PARAM,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        actor = api_actor(request)
        scope = scope_for(actor, request.query_params.get("scope", ""))
        start, end = parse_period(request.query_params)
        result = comparison.compare(
            scope, start, end, currency=request.query_params.get("currency") or None
        )
        record(
            actor,
            AuditAction.EXPORT,
            None,
            object_type="caresettings.comparison",
            label=f"care settings {start}..{end}",
            fields=["json", scope.name],
        )
        return Response(comparison_as_dict(result))
