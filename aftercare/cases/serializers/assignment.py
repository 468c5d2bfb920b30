"""The API's shapes of who is responsible for a case: its holder and handovers, a handover's
input, and the organisation's caseload by worker and team."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.cases import assignment
from aftercare.cases.models import Handover


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


def assignment_data(survivor) -> dict:
    """Who holds the case and its last handovers, in the shape of `AssignmentSerializer`."""
    return {
        "assigned_worker": survivor.assigned_worker_id,
        "assigned_worker_name": assignment.worker_label(survivor.assigned_worker),
        "team": survivor.team_id,
        "team_name": survivor.team.name if survivor.team else "",
        "version": survivor.version,
        "handovers": HandoverSerializer(survivor.handovers.all()[:20], many=True).data,
    }


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
