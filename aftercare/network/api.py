"""API: the service taxonomy."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.network.taxonomy import ServiceDomain


class ServiceDomainsView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "ServiceDomainList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "results": inline_serializer(
                    "ServiceDomain", {"code": serializers.CharField(), "name": serializers.CharField()}, many=True
                ),
            },
        )
    )
    def get(self, request):
        results = [{"code": d.value, "name": str(d.label)} for d in ServiceDomain]
        return Response({"count": len(results), "next": None, "results": results})
