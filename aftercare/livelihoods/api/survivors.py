"""API: a survivor's jobs, retention, savings, income, earnings and economic outcomes.

Every view names its right first (403 for a role without it), then fetches the case through
`access` (404 for a case the caller may not know about; the read is audited).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.core.api import api_actor
from aftercare.livelihoods import access, enterprise, income, outcomes, placements, savings
from aftercare.livelihoods.api.common import (
    PAGED,
    PAGING,
    CaseRecords,
    CaseResource,
    need_version,
    page,
    valid,
)
from aftercare.livelihoods.money import MINOR_UNITS
from aftercare.livelihoods.serializers.fields import money
from aftercare.livelihoods.serializers.income import OUTCOMES_SCHEMA, IncomeIn, IncomeOut, ShareOut
from aftercare.livelihoods.serializers.placements import (
    FollowUpOut,
    PlacementIn,
    PlacementOut,
    PlacementPatch,
    RetentionIn,
)
from aftercare.livelihoods.serializers.savings import EntryIn, EntryOut

# Placements --------------------------------------------------------------------------------------


class PlacementsView(CaseRecords):
    output, body, of = PlacementOut, PlacementIn, placements.placements_of

    def create(self, actor, survivor, data):
        return placements.get_placement(survivor, placements.place(actor, survivor, data).pk)


class PlacementView(CaseResource):
    output, patch_body, part = PlacementOut, PlacementPatch, placements.get_placement

    def fetch(self, actor, survivor_id, placement_id):
        return placements.get_placement(self.survivor(actor, survivor_id), placement_id)

    def parse(self, serializer_class) -> dict:
        """Partly: a change sends only what changes, and a missing `version` is told apart
        (`need_version`) from the serializer's plain 'required'."""
        return valid(serializer_class, self.request, partial=True)

    def update(self, actor, target, data):
        placements.update_placement(actor, target[1], data, need_version(data))
        return self.read_again(target)


class RetentionView(CaseResource):
    output, body, created_status = FollowUpOut, RetentionIn, status.HTTP_200_OK

    def to_record(self, actor, survivor_id, placement_id, months):
        survivor = access.survivor_to_record(actor, survivor_id)
        return placements.get_placement(survivor, placement_id), months

    def create(self, actor, due, data):
        """Record a retention follow-up (1, 3, 6 or 12 months): once; 409 if already recorded or not
        yet due."""
        return placements.record_retention(actor, *due, **data)


# Savings -----------------------------------------------------------------------------------------


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


class IncomeView(CaseResource):
    output, body = IncomeOut, IncomeIn
    openapi = PAGED

    def rows(self, actor, survivor_id):
        """Income recorded from other sources; placements and sales count themselves (see
        economic-outcomes)."""
        return self.survivor(actor, survivor_id).income_records.all()

    def create(self, actor, survivor, data):
        return income.record_income(actor, survivor, data)


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
