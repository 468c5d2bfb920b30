"""API: who is responsible for a case, handing it over, and the organisation's caseload by
worker."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from aftercare.accounts.policy import Action, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment
from aftercare.cases.access import access_case
from aftercare.cases.models import Handover
from aftercare.core.api import ApiView, api_actor


class HandoverSerializer(serializers.ModelSerializer):
    from_worker = serializers.UUIDField(source="from_worker_id", read_only=True, allow_null=True)
    to_worker = serializers.UUIDField(source="to_worker_id", read_only=True, allow_null=True)
    team = serializers.UUIDField(source="team_id", read_only=True, allow_null=True)
    handed_over_by = serializers.UUIDField(
        source="handed_over_by_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Handover
        fields = [
            "id",
            "from_worker",
            "to_worker",
            "team",
            "note",
            "handed_over_by",
            "handed_over_at",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.Serializer):
    assigned_worker = serializers.UUIDField(
        allow_null=True, help_text="the user responsible for the case"
    )
    assigned_worker_name = serializers.CharField()
    team = serializers.UUIDField(allow_null=True)
    team_name = serializers.CharField()
    version = serializers.IntegerField()
    handovers = HandoverSerializer(many=True, help_text="the last 20 handovers, newest first")


class ReassignInput(serializers.Serializer):
    to_worker = serializers.UUIDField(
        help_text="an active case worker or supervisor of the holding organisation"
    )
    team = serializers.UUIDField(
        required=False, allow_null=True, help_text="one of the organisation's teams, or none"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=assignment.MAX_NOTE,
        help_text="the handover note for the new worker (stored encrypted)",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="the case's version you last read"
    )


def _assignment(survivor) -> dict:
    return {
        "assigned_worker": survivor.assigned_worker_id,
        "assigned_worker_name": assignment.worker_label(survivor.assigned_worker),
        "team": survivor.team_id,
        "team_name": survivor.team.name if survivor.team else "",
        "version": survivor.version,
        "handovers": HandoverSerializer(survivor.handovers.all()[:20], many=True).data,
    }


class AssignmentView(ApiView):
    """Only the organisation holding the case reads or changes who holds it; a partner reading
    the case through a referral gets 403, any other caller 404."""

    @extend_schema(responses=AssignmentSerializer)
    def get(self, request, survivor_id):
        case = access_case(api_actor(request), survivor_id)
        case.require_holder()
        return Response(_assignment(case.survivor))

    @extend_schema(request=ReassignInput, responses=AssignmentSerializer)
    def post(self, request, survivor_id):
        actor = api_actor(request)
        case = access_case(actor, survivor_id, write=True)
        require(actor, Action.HAND_OVER_CASE)
        data = self.valid(ReassignInput)
        assignment.reassign_case(
            actor,
            case,
            to_worker=str(data["to_worker"]),
            team=str(data["team"]) if data.get("team") else None,
            note=data.get("note", ""),
            version=data.get("version"),
        )
        return Response(_assignment(case.survivor))


class LoadSerializer(serializers.Serializer):
    id = serializers.CharField(
        help_text="the user or team id; empty for the cases no one is responsible for"
    )
    name = serializers.CharField()
    open = serializers.IntegerField(help_text="open cases (intake, active, stable)")
    high_risk = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="open cases whose risk follow-up date has passed")
    active_member = serializers.BooleanField(
        help_text="false for someone who no longer holds cases here"
    )
    members = serializers.ListField(child=serializers.CharField())


class UnassignedCaseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_code = serializers.CharField()
    status = serializers.CharField()
    risk_rank = serializers.IntegerField(help_text="0 never assessed, 1 low, 2 medium, 3 high")


class WorkloadSerializer(serializers.Serializer):
    workers = LoadSerializer(many=True)
    teams = LoadSerializer(many=True)
    unassigned = LoadSerializer()
    unassigned_cases = UnassignedCaseSerializer(many=True, help_text="up to 50, highest risk first")


class WorkloadView(ApiView):
    """The caller's organisation's open caseload by worker and team: supervisors and admins."""

    @extend_schema(responses=WorkloadSerializer)
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_WORKLOAD)
        loads = assignment.workload(actor)
        record(actor, AuditAction.LIST, object_type="cases.survivor", label="caseload by worker")
        return Response(WorkloadSerializer(loads).data)
