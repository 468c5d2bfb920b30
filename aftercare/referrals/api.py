"""API: referrals and their state transitions (API.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.models import Organisation
from aftercare.cases import care
from aftercare.cases.access import SHAREABLE_CHOICES
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.core.api import ListPagination, api_actor
from aftercare.core.policy import Action, require
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals import guide, services
from aftercare.referrals.models import Referral, ReferralStatus


class ReferralOut(serializers.ModelSerializer):
    survivor = serializers.UUIDField(source="survivor_id", read_only=True)
    from_organisation = serializers.UUIDField(source="from_organisation_id", read_only=True)
    to_organisation = serializers.UUIDField(source="to_organisation_id", read_only=True)
    summary = serializers.SerializerMethodField(help_text="the minimum the receiving side needs to decide")
    events = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "survivor", "from_organisation", "to_organisation", "domains", "reason", "urgent", "status",
            "decline_reason", "outcome", "shared_sections", "emergency_override", "respond_by", "created_at",
            "accepted_at", "closed_at", "version", "transfer", "transfer_approved_at", "transferred_at", "summary", "events",
        ]
        read_only_fields = fields

    def get_summary(self, obj) -> dict:
        needs_of = self.context.get("needs_of")
        return services.minimum_view(obj, needs_of.get(obj.survivor_id, {}) if needs_of is not None else None)

    def get_events(self, obj) -> list:
        return [{"from": e.from_status, "to": e.to_status, "at": e.at, "note": e.note} for e in obj.events.all()]


class ReferralMoveOut(ReferralOut):
    """The referral after a move (sent, accepted, declined...), with what happened in words."""

    message = serializers.SerializerMethodField(
        help_text=("what the move did and what comes next, in the caller's "
                   "language, deadlines in the caller's organisation's time zone")
    )

    class Meta(ReferralOut.Meta):
        fields = [*ReferralOut.Meta.fields, "message"]
        read_only_fields = fields

    def get_message(self, obj) -> str:
        return self.context.get("message", "")


def moved(actor, referral: Referral, action: str, **kwargs) -> Response:
    message = guide.what_happened(actor, referral, action)
    return Response(ReferralMoveOut(referral, context={"message": message}).data, **kwargs)


class PersonIn(serializers.Serializer):
    """Someone a referral source refers who has no case yet: only what the receiver needs."""

    given_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    year_of_birth = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    languages = serializers.ListField(child=serializers.RegexField(r"^[a-z]{2,3}$"), required=False, default=list)


class ReferralIn(serializers.Serializer):
    survivor = serializers.UUIDField(required=False, help_text="an existing case of your organisation")
    person = PersonIn(required=False, help_text="or, for referral sources, someone without a case yet")
    consent_given = serializers.BooleanField(required=False, default=False, help_text="with `person`: she agreed to be referred")
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices, required=False, default=ConsentMethod.VERBAL)
    to_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    domains = serializers.ListField(child=serializers.ChoiceField(choices=ServiceDomain.choices), allow_empty=False)
    reason = serializers.CharField(max_length=4000)
    shared_sections = serializers.ListField(
        child=serializers.ChoiceField(choices=SHAREABLE_CHOICES), required=False, default=list
    )
    emergency_justification = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    transfer = serializers.BooleanField(
        required=False, default=False,
        help_text=("move the whole case to the receiver: needs her recorded consent "
                   "to the transfer (with `person`: `transfer_consent_given`) and a "
                   "supervisor's approval (`POST /referrals/{id}/approve-transfer`)"),
    )
    transfer_consent_given = serializers.BooleanField(required=False, default=False,
                                                      help_text="with `person`: she agreed that the receiver holds her case")

    def validate(self, attrs):
        if ("survivor" in attrs) == ("person" in attrs):
            raise serializers.ValidationError({"survivor": [_("Give either an existing case (survivor) or a person.")]})
        return attrs


class TransitionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class ReferralListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("direction", str, enum=["incoming", "outgoing"]), OpenApiParameter("status", str)],
        responses=ReferralOut(many=True),
    )
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_REFERRALS)
        rows = Referral.objects.visible_to(actor).select_related("survivor").prefetch_related("events")
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
        return paginator.get_paginated_response(ReferralOut(page, many=True, context={"needs_of": needs_of}).data)

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
                actor, data["person"], data["to_organisation"], data["domains"], data["reason"],
                consent_given=data["consent_given"], consent_method=data["consent_method"], shared_sections=shared,
                transfer_consent_given=data["transfer_consent_given"] or data["transfer"],
            )
        else:
            survivor = services.referable_cases(actor).filter(pk=data["survivor"]).first()
            if survivor is None:
                raise serializers.ValidationError({"survivor": [_("No such case in your organisation.")]})
            referral = services.refer_survivor(
                actor, survivor, data["to_organisation"], data["domains"], data["reason"],
                shared_sections=shared, emergency_justification=data["emergency_justification"], transfer=data["transfer"],
            )
        return moved(actor, referral, "send", status=status.HTTP_201_CREATED)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralOut)
    def get(self, request, referral_id):
        referral = services.get_referral(api_actor(request), referral_id)
        return Response(ReferralOut(referral).data)


class ApproveTransferView(APIView):
    @extend_schema(request=None, responses=ReferralMoveOut, operation_id="referral_approve_transfer")
    def post(self, request, referral_id):
        actor = api_actor(request)
        return moved(actor, services.approve_transfer(actor, referral_id), "approve_transfer")


def transition_view(action: str):
    class TransitionView(APIView):
        @extend_schema(request=TransitionIn, responses=ReferralMoveOut, operation_id=f"referral_{action}")
        def post(self, request, referral_id):
            form = TransitionIn(data=request.data)
            form.is_valid(raise_exception=True)
            text = form.validated_data["outcome"] if action == "complete" else form.validated_data["reason"]
            actor = api_actor(request)
            referral = services.transition(actor, referral_id, action, text=text, version=form.validated_data.get("version"))
            return moved(actor, referral, action)

    TransitionView.__name__ = f"Referral{action.capitalize()}View"
    return TransitionView.as_view()
