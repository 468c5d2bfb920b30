"""API: a survivor's jobs, retention, savings, income, earnings and economic outcomes.

Every view names its right first (403 for a role without it), then fetches the case through
`access` (404 for a case the caller may not know about; the read is audited).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.core.api import api_actor
from aftercare.livelihoods import (
    access,
    enterprise,
    fair_wage,
    income,
    outcomes,
    placements,
    savings,
)
from aftercare.livelihoods.api.common import (
    Amount,
    CaseResource,
    Currency,
    PastDate,
    RegionCode,
    Version,
    money,
    page,
    valid,
)
from aftercare.livelihoods.models import (
    EntryKind,
    IncomeSource,
    LeftReason,
    PartnerEmployer,
    PayPeriod,
    RetentionOutcome,
)
from aftercare.livelihoods.money import MINOR_UNITS

# Placements --------------------------------------------------------------------------------------


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


PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class PlacementsView(CaseResource):
    output, body = PlacementOut, PlacementIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        return placements.placements_of(self.survivor(actor, survivor_id))

    def create(self, actor, survivor, data):
        return placements.get_placement(survivor, placements.place(actor, survivor, data).pk)


class PlacementView(APIView):
    @extend_schema(responses=PlacementOut)
    def get(self, request, survivor_id, placement_id):
        survivor = access.survivor_to_read(api_actor(request), survivor_id)
        return Response(PlacementOut(placements.get_placement(survivor, placement_id)).data)

    @extend_schema(request=PlacementPatch, responses=PlacementOut)
    def patch(self, request, survivor_id, placement_id):
        actor = api_actor(request)
        survivor = access.survivor_to_record(actor, survivor_id)
        placement = placements.get_placement(survivor, placement_id)
        data = valid(PlacementPatch, request, partial=True)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        placements.update_placement(actor, placement, data, data.pop("version"))
        return Response(PlacementOut(placements.get_placement(survivor, placement.pk)).data)


class RetentionIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[RetentionOutcome.RETAINED, RetentionOutcome.LEFT])
    left_reason = serializers.ChoiceField(
        choices=LeftReason.choices, required=False, allow_blank=True
    )
    left_on = PastDate(required=False, help_text="when the job was left; defaults to today")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RetentionView(APIView):
    @extend_schema(request=RetentionIn, responses=FollowUpOut)
    def post(self, request, survivor_id, placement_id, months):
        """Record a retention follow-up (1, 3, 6 or 12 months): once; 409 if already recorded or not
        yet due."""
        actor = api_actor(request)
        survivor = access.survivor_to_record(actor, survivor_id)
        placement = placements.get_placement(survivor, placement_id)
        data = valid(RetentionIn, request)
        follow_up = placements.record_retention(actor, placement, months, **data)
        return Response(FollowUpOut(follow_up).data)


# Savings -----------------------------------------------------------------------------------------


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


class SavingsView(CaseResource):
    output, body = EntryOut, EntryIn

    @extend_schema(responses=EntryOut(many=True), parameters=PAGING)
    def get(self, request, survivor_id):
        """The ledger, newest entry first per currency, with `balances` per currency."""
        survivor = access.survivor_to_read(api_actor(request), survivor_id)
        balances = {c: money(b, c) for c, b in savings.balances(survivor).items()}
        return page(request, self, savings.entries_of(survivor), EntryOut, balances=balances)

    def create(self, actor, survivor, data):
        """Add an entry. A withdrawal beyond the balance is refused with 409 and nothing is
        recorded."""
        return savings.record_entry(actor, survivor, **data)


# Income, earnings, outcomes
# ------------------------------------------------------------------------


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


class IncomeView(CaseResource):
    output, body = IncomeOut, IncomeIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        """Income recorded from other sources; placements and sales count themselves (see
        economic-outcomes)."""
        return self.survivor(actor, survivor_id).income_records.all()

    def create(self, actor, survivor, data):
        return income.record_income(actor, survivor, data)


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


class EarningsView(APIView):
    @extend_schema(responses=ShareOut(many=True), parameters=PAGING)
    def get(self, request, survivor_id):
        """The survivor's share of each sale of what she made, with `totals` per currency."""
        survivor = access.survivor_to_read(api_actor(request), survivor_id)
        totals = {
            c: money(t, c)
            for c, t in outcomes.totals_by_currency(survivor.maker_shares.all()).items()
        }
        return page(request, self, enterprise.earnings_of(survivor), ShareOut, totals=totals)


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


class EconomicOutcomesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "months",
                int,
                description=(
                    f"how many months back, {income.MIN_MONTHS}–{income.MAX_MONTHS} (default 12)"
                ),
            ),
            OpenApiParameter(
                "currency",
                str,
                description="report in this currency (default: the region's living wage's)",
            ),
        ],
        responses=OUTCOMES_SCHEMA,
    )
    def get(self, request, survivor_id):
        """Monthly income from all sources and the self-sufficiency flag (at or above the region's
        living wage three months in a row). 409 when income in two currencies has no exchange
        rate."""
        survivor = access.survivor_to_read(api_actor(request), survivor_id)
        months = request.query_params.get("months", str(income.DEFAULT_MONTHS))
        if not months.isdigit():
            raise serializers.ValidationError({"months": [_("Enter a whole number.")]})
        currency = request.query_params.get("currency") or None
        if currency is not None and currency not in MINOR_UNITS:
            raise serializers.ValidationError(
                {"currency": [_("Use an ISO 4217 currency code, e.g. ZAR, INR, KES.")]}
            )
        return Response(outcomes.economic_outcomes(survivor, months=int(months), currency=currency))
