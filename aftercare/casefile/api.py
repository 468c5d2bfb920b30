"""The composed API endpoints: `GET /api/v1/my-work` (the caller's work queue, the same items
as the dashboard's) and `POST /api/v1/survivors/<id>/merge` (merging moves every domain's
records, so it is composed here, as on the page)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.accounts.roles import STAFF_ROLES
from aftercare.casefile import workqueue
from aftercare.casefile.merge import merge_cases
from aftercare.cases.access import access_case
from aftercare.cases.serializers.survivors import MergeInput, SurvivorDetail
from aftercare.core.api import ListPagination, api_actor, paginate


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=sorted(workqueue.KIND_LABELS),
        help_text="what kind of work: `follow_up`, `referral_response`, `plan_review`, ...",
    )
    title = serializers.CharField(help_text="what to do, in the caller's language")
    detail = serializers.CharField(
        help_text="which case, referral, organisation or figure it is about"
    )
    due = serializers.DateField(
        allow_null=True, help_text="when it is due, in the server's time zone"
    )
    overdue = serializers.BooleanField()
    urgent = serializers.BooleanField()
    count = serializers.IntegerField(
        allow_null=True, help_text="for an item standing for several records"
    )
    survivor = serializers.UUIDField(
        allow_null=True, help_text="the case, for case work of the caller's organisation"
    )
    referral = serializers.UUIDField(allow_null=True)
    url = serializers.CharField(help_text="the path of the page where it is done")


class MyWorkView(APIView):
    """The caller's work queue for the role they act in: each kind sorted by its own rule
    (referrals to answer: urgent first, then by deadline), at most 20 items of a kind."""

    pagination_class = ListPagination

    @extend_schema(responses=WorkItemSerializer(many=True), operation_id="my_work")
    def get(self, request):
        actor = api_actor(request)
        if actor.is_anonymous or actor.role not in STAFF_ROLES:
            raise PermissionDenied(_("Your role in this organisation does not allow this."))
        return paginate(request, self, workqueue.for_actor(actor), WorkItemSerializer)


class MergeView(APIView):
    """A supervisor merges another case of her organisation into this one (casefile.merge)."""

    @extend_schema(
        request=MergeInput,
        responses={200: SurvivorDetail},
        description=(
            "Moves every record of `other` to this case in one transaction and closes `other` "
            "with the closure reason `duplicate`. Both cases must be the caller's "
            "organisation's (else 404); supervisors only (403); 400 for the same case twice, an "
            "anonymised or already merged case; 409 for a stale `version`."
        ),
    )
    def post(self, request, survivor_id):
        actor = api_actor(request)
        case = access_case(actor, survivor_id, write=True)
        case.require_holder()
        require(actor, Action.MERGE_CASES)
        form = MergeInput(data=request.data)
        form.is_valid(raise_exception=True)
        kept = merge_cases(
            actor,
            case.survivor.pk,
            form.validated_data["other"],
            version=form.validated_data.get("version"),
        )
        return Response(SurvivorDetail(kept).data)
