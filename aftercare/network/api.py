"""API: the service taxonomy, the directory, organisation profiles and live capacity."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.core.api import ListPagination, api_actor
from aftercare.network import services
from aftercare.network.forms import DirectoryFilterForm
from aftercare.network.models import capacity_cutoff
from aftercare.network.search import DirectoryMatch, search_directory
from aftercare.network.serializers import (
    CapacityPatch,
    DirectoryResultSchema,
    OfferedServiceSerializer,
    ProfileSchema,
    RegionServedSerializer,
    ServiceCapacitySerializer,
)
from aftercare.network.taxonomy import ServiceDomain


class ServiceDomainsView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "ServiceDomainList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": inline_serializer(
                    "ServiceDomain",
                    {"code": serializers.CharField(), "name": serializers.CharField()},
                    many=True,
                ),
            },
        )
    )
    def get(self, request):
        results = [{"code": d.value, "name": str(d.label)} for d in ServiceDomain]
        return Response({"count": len(results), "next": None, "previous": None, "results": results})


def _public(organisation) -> dict:
    return {
        "id": str(organisation.pk),
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "region": organisation.region.code if organisation.region_id else None,
        "description": organisation.description,
        "populations": organisation.populations,
        "languages": organisation.languages,
        "contact": {
            "phone": organisation.public_phone,
            "email": organisation.public_email,
            "website": organisation.website,
        },
    }


def _match(match: DirectoryMatch) -> dict:
    organisation = match.organisation
    return {
        **_public(organisation),
        "services": match.services,
        "regions": match.regions,
        "capacity": {
            "beds_available": match.beds_free,
            "slots_available": match.slots_free,
            "updated_at": match.capacity_checked_at.isoformat()
            if match.capacity_checked_at
            else None,
            "is_stale": match.is_stale,
        },
        "median_response_hours": match.median_response_hours,
        "score": match.score,
        "reasons": match.reasons,
    }


def _stats(organisation) -> dict | None:
    stats = getattr(organisation, "referral_stats", None)
    if stats is None or not stats.received:
        return None
    return {
        "received": stats.received,
        "acceptance_rate": stats.acceptance_rate,
        "completion_rate": stats.completion_rate,
        "median_hours_to_accept": stats.median_response_hours,
    }


DIRECTORY_PARAMETERS = [
    OpenApiParameter(
        "service", str, description="service domain code(s), comma-separated; any of them"
    ),
    OpenApiParameter(
        "region",
        str,
        description="region code; also finds organisations serving a wider or narrower region",
    ),
    OpenApiParameter(
        "population", str, description="women, men, girls, boys, foreign_nationals, lgbtqi"
    ),
    OpenApiParameter(
        "language", str, description="language code (ISO 639-1, or 639-3 where there is none)"
    ),
    OpenApiParameter("has_capacity", str, enum=["true", "false"]),
    OpenApiParameter("q", str, description="part of the name"),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


class DirectoryPagination(ListPagination):
    """ListPagination that fetches the page before the count, which then comes with it."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit, self.offset = self.get_limit(request), self.get_offset(request)
        page = queryset[self.offset : self.offset + self.limit]
        self.count = queryset.count()
        return page


class OrganisationListView(APIView):
    @extend_schema(
        operation_id="organisations_list",
        parameters=DIRECTORY_PARAMETERS,
        responses=inline_serializer(
            "OrganisationList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "results": DirectoryResultSchema(many=True),
            },
        ),
    )
    def get(self, request):
        """The directory, best fit first, each result with the reasons for its rank."""
        require(api_actor(request), Action.VIEW_DIRECTORY)
        form = DirectoryFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {field: list(messages) for field, messages in form.errors.items()}
            )
        results = search_directory(form.to_query())
        paginator = DirectoryPagination()
        page = paginator.paginate_queryset(results, request, view=self)
        return paginator.get_paginated_response([_match(m) for m in page])


class OrganisationDetailView(APIView):
    @extend_schema(operation_id="organisations_retrieve", responses=ProfileSchema)
    def get(self, request, organisation_id):
        """One profile with `services`, `regions`, `capacity`; restricted details for its own
        staff."""
        actor = api_actor(request)
        organisation = services.get_organisation(actor, organisation_id)
        now = timezone.now()
        body = {
            **_public(organisation),
            "services": OfferedServiceSerializer(organisation.services.all(), many=True).data,
            "regions": RegionServedSerializer(organisation.regions_served.all(), many=True).data,
            "capacity": ServiceCapacitySerializer(
                organisation.services.all(), many=True, context={"now": now}
            ).data,
            "capacity_stale_before": capacity_cutoff(now).isoformat(),
            "referral_stats": _stats(organisation),
            "version": organisation.version,
        }
        restricted = services.restricted_details(actor, organisation)
        if restricted is not None:
            body["restricted"] = restricted
        return Response(body)


class CapacityView(APIView):
    @extend_schema(request=CapacityPatch, responses=ServiceCapacitySerializer)
    def patch(self, request, organisation_id, service):
        """Set one service's capacity; send the `version` you read, or get 409."""
        actor = api_actor(request)
        organisation = services.own_organisation(actor, organisation_id, Action.UPDATE_CAPACITY)
        chosen = next((s for s in organisation.services.all() if s.domain == service), None)
        if chosen is None:
            raise Http404(_("This organisation does not offer that service."))
        form = CapacityPatch(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = data.pop("version")
        updated = services.update_capacity(actor, chosen, data, version)
        return Response(ServiceCapacitySerializer(updated, context={"now": timezone.now()}).data)
