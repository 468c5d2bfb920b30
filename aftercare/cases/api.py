"""API: survivors' cases (intake, the caller's visible cases, and versioned changes)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import services
from aftercare.cases.models import ExploitationType, Survivor
from aftercare.core.api import ListPagination, api_actor
from aftercare.core.policy import Action, require
from aftercare.network.models import Region


class SurvivorSummary(serializers.ModelSerializer):
    """What a list shows: the pseudonymous profile, no direct identifiers."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)

    class Meta:
        model = Survivor
        fields = [
            "id", "case_code", "organisation", "year_of_birth", "gender", "nationality", "region",
            "exploitation_types", "country_of_exploitation", "identified_by", "status", "version",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class SurvivorDetail(SurvivorSummary):
    class Meta(SurvivorSummary.Meta):
        fields = SurvivorSummary.Meta.fields + [
            "given_name", "family_name", "phone", "address", "date_of_birth", "id_number",
        ]
        read_only_fields = fields


class SurvivorInput(serializers.ModelSerializer):
    """Intake and change input, derived from the model so the two cannot drift apart."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True)
    nationality = CountryField(required=False, allow_blank=True)
    country_of_exploitation = CountryField(required=False, allow_blank=True)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), required=False, allow_empty=True
    )
    year_of_birth = serializers.IntegerField(required=False, allow_null=True, min_value=1900)

    class Meta:
        model = Survivor
        fields = list(services.EDITABLE_FIELDS)
        extra_kwargs = {"given_name": {"required": True, "allow_blank": False}}

    def validate_year_of_birth(self, value):
        if value is not None and value > timezone.now().year:
            raise serializers.ValidationError(_("The year of birth cannot be in the future."))
        return value

    def validate_exploitation_types(self, value):
        return sorted(set(value))


class SurvivorPatch(SurvivorInput):
    version = serializers.IntegerField(min_value=1)

    class Meta(SurvivorInput.Meta):
        fields = SurvivorInput.Meta.fields + ["version"]
        extra_kwargs = {"given_name": {"required": False, "allow_blank": False}}


class SurvivorListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str), OpenApiParameter("q", str, description="case code or exact name"),
            OpenApiParameter("limit", int), OpenApiParameter("offset", int),
        ],
        responses=SurvivorSummary(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_CASES)
        cases = services.search_survivors(actor, request.query_params.get("q", ""), request.query_params.get("status", ""))
        paginator = ListPagination()
        page = paginator.paginate_queryset(cases.order_by("-created_at", "id"), request, view=self)
        record(actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(page)} cases")
        return paginator.get_paginated_response(SurvivorSummary(page, many=True).data)

    @extend_schema(request=SurvivorInput, responses={201: SurvivorDetail})
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.CREATE_CASE)
        form = SurvivorInput(data=request.data)
        form.is_valid(raise_exception=True)
        survivor = services.intake_survivor(actor, form.validated_data)
        return Response(SurvivorDetail(survivor).data, status=status.HTTP_201_CREATED)


class SurvivorDetailView(APIView):
    @extend_schema(responses=SurvivorDetail)
    def get(self, request, survivor_id):
        survivor = services.get_survivor(api_actor(request), survivor_id)
        return Response(SurvivorDetail(survivor).data)

    @extend_schema(request=SurvivorPatch, responses=SurvivorDetail)
    def patch(self, request, survivor_id):
        actor = api_actor(request)
        survivor = services.get_survivor(actor, survivor_id)
        require(actor, Action.EDIT_CASE)
        form = SurvivorPatch(survivor, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
        version = data.pop("version")
        survivor = services.update_survivor(actor, survivor, data, version)
        return Response(SurvivorDetail(survivor).data)
