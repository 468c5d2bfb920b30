"""API: referrals and their state transitions (API.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.cases import care
from aftercare.core.api import ListPagination, api_actor
from aftercare.referrals import guide, services
from aftercare.referrals.models import Referral, ReferralStatus
from aftercare.referrals.serializers import (
    ReferralIn,
    ReferralMoveOut,
    ReferralOut,
    TransitionIn,
)


def moved(actor, referral: Referral, action: str, **kwargs) -> Response:
    message = guide.what_happened(actor, referral, action)
    return Response(ReferralMoveOut(referral, context={"message": message}).data, **kwargs)


class ReferralListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=["incoming", "outgoing"]),
            OpenApiParameter("status", str),
        ],
        responses=ReferralOut(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_REFERRALS)
        rows = (
            Referral.objects.visible_to(actor).select_related("survivor").prefetch_related("events")
        )
        direction = request.query_params.get("direction", "")
        if direction == "incoming":
            rows = rows.filter(to_organisation_id=actor.organisation_id)
        elif direction == "outgoing":
            rows = rows.filter(from_organisation_id=actor.organisation_id)
        elif direction:
            raise serializers.ValidationError({"direction": [_("Use incoming or outgoing.")]})
        wanted = request.query_params.get("status", "")
        if wanted:
            if wanted not in ReferralStatus.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            rows = rows.filter(status=wanted)
        paginator = ListPagination()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "id"), request, view=self)
        needs_of = care.current_needs_of({referral.survivor_id for referral in page})
        return paginator.get_paginated_response(
            ReferralOut(page, many=True, context={"needs_of": needs_of}).data
        )

    @extend_schema(request=ReferralIn, responses={201: ReferralMoveOut})
    def post(self, request):
        actor = api_actor(request)
        require(actor, Action.MAKE_REFERRAL)
        form = ReferralIn(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        shared = data["shared_sections"] or services.DEFAULT_SHARED
        if "person" in data:
            referral = services.refer_new_person(
                actor,
                data["person"],
                data["to_organisation"],
                data["domains"],
                data["reason"],
                consent_given=data["consent_given"],
                consent_method=data["consent_method"],
                shared_sections=shared,
                transfer_consent_given=data["transfer_consent_given"] or data["transfer"],
            )
        else:
            survivor = services.referable_cases(actor).filter(pk=data["survivor"]).first()
            if survivor is None:
                raise serializers.ValidationError(
                    {"survivor": [_("No such case in your organisation.")]}
                )
            referral = services.refer_survivor(
                actor,
                survivor,
                data["to_organisation"],
                data["domains"],
                data["reason"],
                shared_sections=shared,
                emergency_justification=data["emergency_justification"],
                transfer=data["transfer"],
            )
        return moved(actor, referral, "send", status=status.HTTP_201_CREATED)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralOut)
    def get(self, request, referral_id):
        referral = services.get_referral(api_actor(request), referral_id)
        return Response(ReferralOut(referral).data)


class ApproveTransferView(APIView):
    @extend_schema(
        request=None, responses=ReferralMoveOut, operation_id="referral_approve_transfer"
    )
    def post(self, request, referral_id):
        actor = api_actor(request)
        return moved(actor, services.approve_transfer(actor, referral_id), "approve_transfer")


def transition_view(action: str):
    class TransitionView(APIView):
        @extend_schema(
            request=TransitionIn, responses=ReferralMoveOut, operation_id=f"referral_{action}"
        )
        def post(self, request, referral_id):
            form = TransitionIn(data=request.data)
            form.is_valid(raise_exception=True)
            text = (
                form.validated_data["outcome"]
                if action == "complete"
                else form.validated_data["reason"]
            )
            actor = api_actor(request)
            referral = services.transition(
                actor, referral_id, action, text=text, version=form.validated_data.get("version")
            )
            return moved(actor, referral, action)

    TransitionView.__name__ = f"Referral{action.capitalize()}View"
    return TransitionView.as_view()
