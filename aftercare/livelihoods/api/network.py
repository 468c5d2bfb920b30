"""API: what the network shares (employers, programmes, wage standards, exchange rates) and
what an organisation keeps (its products and sales, its households)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, require
from aftercare.cases.models import Survivor
from aftercare.core.api import api_actor
from aftercare.livelihoods import enterprise, households, placements, reference, training
from aftercare.livelihoods.api.common import (
    Amount,
    Currency,
    PastDate,
    RegionCode,
    Resource,
    money,
    page,
    valid,
)
from aftercare.livelihoods.models import (
    PayPeriod,
    ProgrammeKind,
    SaleChannel,
    Situation,
    SupportKind,
    WageKind,
)

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


# Employers
# -----------------------------------------------------------------------------------------


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


class EmployersView(Resource):
    output, body, write = EmployerSerializer, EmployerSerializer, Action.RECORD_LIVELIHOOD
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor):
        return placements.employers(actor)

    def create(self, actor, target, data):
        return placements.add_employer(actor, **data)


# Training programmes and cohorts
# -------------------------------------------------------------------


class CohortSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    region = RegionCode()


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    provider = serializers.UUIDField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    name = serializers.CharField(max_length=200)
    trade = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, default=ProgrammeKind.TRAINING)
    duration_weeks = serializers.IntegerField(min_value=1, max_value=520)
    certification = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    cohorts = CohortSerializer(many=True, read_only=True)


class ProgrammesView(Resource):
    output, body, write = ProgrammeSerializer, ProgrammeSerializer, Action.RECORD_LIVELIHOOD
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor):
        return training.programmes(actor)

    def create(self, actor, target, data):
        """A programme your organisation provides."""
        return training.add_programme(actor, data)


class CohortsView(Resource):
    output, body, write = CohortSerializer, CohortSerializer, Action.RECORD_LIVELIHOOD
    openapi = {"get": {"parameters": PAGING}}

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


class ProductsView(Resource):
    output, body, write = ProductSerializer, ProductSerializer, Action.RECORD_LIVELIHOOD
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor):
        return enterprise.products(actor).prefetch_related("makers")

    def create(self, actor, target, data):
        data["makers"] = enterprise.makers_by_code(actor, data.get("makers", []))
        return enterprise.add_product(actor, data)


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


class SalesView(ProductResource):
    output, body = SaleOut, SaleIn
    openapi = {"get": {"parameters": PAGING}}

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


class WageStandardSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    region = RegionCode(required=True, allow_null=False)
    kind = serializers.ChoiceField(choices=WageKind.choices)
    amount = Amount()
    currency = Currency()
    period = serializers.ChoiceField(choices=PayPeriod.choices)
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=1, max_value=100, required=False
    )
    days_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=1, max_value=7, required=False
    )
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class WageStandardsView(Resource):
    output, body, write = (
        WageStandardSerializer,
        WageStandardSerializer,
        Action.MANAGE_WAGE_STANDARDS,
    )
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor):
        return reference.wage_standards(actor)

    def create(self, actor, target, data):
        return reference.add_wage_standard(actor, data)


class RateSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    base = Currency()
    quote = Currency()
    rate = serializers.DecimalField(
        max_digits=20, decimal_places=8, help_text="1 base = rate quote"
    )
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExchangeRatesView(Resource):
    output, body, write = RateSerializer, RateSerializer, Action.MANAGE_WAGE_STANDARDS
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor):
        return reference.exchange_rates(actor)

    def create(self, actor, target, data):
        return reference.add_exchange_rate(actor, data)


# Households
# ----------------------------------------------------------------------------------------


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


class HouseholdsView(APIView):
    @extend_schema(responses=HouseholdSerializer(many=True), parameters=PAGING)
    def get(self, request):
        return page(request, self, households.households(api_actor(request)), HouseholdSerializer)

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
