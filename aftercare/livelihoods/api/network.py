"""API: what the network shares (employers, programmes, wage standards, exchange rates) and
what an organisation keeps (its products and sales, its households)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from aftercare.accounts.policy import Action, require
from aftercare.cases.models import Survivor
from aftercare.core.api import api_actor
from aftercare.livelihoods import enterprise, households, placements, reference, training
from aftercare.livelihoods.api.common import PAGED, Resource, valid
from aftercare.livelihoods.serializers.enterprise import (
    BatchIn,
    BatchOut,
    ProductSerializer,
    SaleIn,
    SaleOut,
)
from aftercare.livelihoods.serializers.households import (
    FollowUpSerializer,
    HouseholdDetail,
    HouseholdSerializer,
    SupportSerializer,
)
from aftercare.livelihoods.serializers.placements import EmployerSerializer
from aftercare.livelihoods.serializers.reference import RateSerializer, WageStandardSerializer
from aftercare.livelihoods.serializers.training import CohortSerializer, ProgrammeSerializer


class Listing(Resource):
    # A list the network shares, a page at a time, and adding to it: `of(actor)` lists it and
    # `add(actor, data)` adds a row, each a service that checks who may.
    openapi = PAGED
    of = add = None

    def rows(self, actor):
        return type(self).of(actor)

    def create(self, actor, target, data):
        return type(self).add(actor, data)


# Employers
# -----------------------------------------------------------------------------------------


class EmployersView(Listing):
    output, body, write = EmployerSerializer, EmployerSerializer, Action.RECORD_LIVELIHOOD
    of = placements.employers

    def create(self, actor, target, data):
        return placements.add_employer(actor, **data)


# Training programmes and cohorts
# -------------------------------------------------------------------


class ProgrammesView(Listing):
    output, body, write = ProgrammeSerializer, ProgrammeSerializer, Action.RECORD_LIVELIHOOD
    of = training.programmes

    def create(self, actor, target, data):
        """A programme your organisation provides."""
        return training.add_programme(actor, data)


class CohortsView(Resource):
    output, body, write = CohortSerializer, CohortSerializer, Action.RECORD_LIVELIHOOD
    openapi = PAGED

    def rows(self, actor, programme_id):
        return training.get_programme(actor, programme_id).cohorts.order_by("-start_date")

    def to_record(self, actor, programme_id):
        programme = training.get_programme(actor, programme_id)
        if programme.provider_id != actor.organisation_id:
            raise PermissionDenied(
                _("Only the organisation that runs the programme adds cohorts to it.")
            )
        return programme

    def create(self, actor, programme, data):
        """A new cohort: only the programme's provider adds one (403 for anyone else)."""
        return training.add_cohort(actor, programme, data)


# Products, batches, sales -------------------------------------------------------------------------


class ProductsView(Resource):
    output, body, write = ProductSerializer, ProductSerializer, Action.RECORD_LIVELIHOOD
    openapi = PAGED

    def rows(self, actor):
        return enterprise.products(actor).prefetch_related("makers")

    def create(self, actor, target, data):
        data["makers"] = enterprise.makers_by_code(actor, data.get("makers", []))
        return enterprise.add_product(actor, data)


def _makers(actor, rows: list[dict]) -> list[tuple[Survivor, int]]:
    found = {
        s.case_code: s for s in enterprise.makers_by_code(actor, [r["case_code"] for r in rows])
    }
    return [(found[r["case_code"].strip().upper()], r["weight"]) for r in rows]


class ProductResource(Resource):
    # A write on one of the organisation's products, fetched before the body is read.
    write = Action.RECORD_LIVELIHOOD

    def to_record(self, actor, product_id):
        return enterprise.get_product(actor, product_id)


class BatchesView(ProductResource):
    output, body = BatchOut, BatchIn

    def create(self, actor, product, data):
        return enterprise.add_batch(
            actor,
            product,
            made_on=data["made_on"],
            quantity=data["quantity"],
            makers=_makers(actor, data["makers"]),
        )


class SalesView(ProductResource):
    output, body = SaleOut, SaleIn
    openapi = PAGED

    def rows(self, actor, product_id):
        return enterprise.sales_of(enterprise.get_product(actor, product_id))

    def create(self, actor, product, data):
        """Record a sale; each maker's share is fixed now and the shares add up to the makers' part
        exactly."""
        batch = None
        if data.get("batch"):
            batch = product.batches.filter(pk=data["batch"]).first()
            if batch is None:
                raise serializers.ValidationError({"batch": [_("No such batch of this product.")]})
        makers = _makers(actor, data["makers"]) if data.get("makers") else None
        sale = enterprise.record_sale(
            actor,
            product,
            channel=data["channel"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            currency=data["currency"],
            sold_on=data["sold_on"],
            batch=batch,
            makers=makers,
        )
        return enterprise.sales_of(product).get(pk=sale.pk)


# Wage standards and exchange rates ----------------------------------------------------------------


class WageStandardsView(Listing):
    output, body, write = (
        WageStandardSerializer,
        WageStandardSerializer,
        Action.MANAGE_WAGE_STANDARDS,
    )
    of, add = reference.wage_standards, reference.add_wage_standard


class ExchangeRatesView(Listing):
    output, body, write = RateSerializer, RateSerializer, Action.MANAGE_WAGE_STANDARDS
    of, add = reference.exchange_rates, reference.add_exchange_rate


# Households
# ----------------------------------------------------------------------------------------


class HouseholdsView(Resource):
    output = HouseholdSerializer
    openapi = PAGED

    def rows(self, actor):
        return households.households(actor)

    @extend_schema(request=HouseholdSerializer, responses={201: HouseholdDetail})
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.RECORD_LIVELIHOOD)
        data = valid(HouseholdSerializer, request)
        survivor_id = data.pop("survivor_id", None)
        if survivor_id:
            data["survivor"] = Survivor.objects.owned_by(actor).filter(pk=survivor_id).first()
            if data["survivor"] is None:
                raise serializers.ValidationError(
                    {"survivor": [_("Link only a case your organisation holds.")]}
                )
        household = households.register_household(actor, data)
        return Response(HouseholdDetail(household).data, status=status.HTTP_201_CREATED)


class HouseholdView(Resource):
    output = HouseholdDetail

    def fetch(self, actor, household_id):
        return households.get_household(actor, household_id)


class HouseholdResource(Resource):
    # A write on one of the organisation's households, fetched before the body is read.
    write = Action.RECORD_LIVELIHOOD

    def to_record(self, actor, household_id):
        return households.get_household(actor, household_id)


class HouseholdSupportView(HouseholdResource):
    output, body = SupportSerializer, SupportSerializer

    def create(self, actor, household, data):
        return households.give_support(actor, household, data)


class HouseholdFollowUpsView(HouseholdResource):
    output, body = FollowUpSerializer, FollowUpSerializer

    def create(self, actor, household, data):
        support_id = data.pop("support_id", None)
        data["support"] = household.support.filter(pk=support_id).first() if support_id else None
        if support_id and data["support"] is None:
            raise serializers.ValidationError(
                {"support": [_("That support was given to another household.")]}
            )
        return households.follow_up(actor, household, data)
