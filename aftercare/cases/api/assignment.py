"""API: who is responsible for a case, handing it over, and the organisation's caseload by
worker."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from aftercare.accounts.policy import Action, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment
from aftercare.cases.access import access_case
from aftercare.cases.serializers.assignment import (
    AssignmentSerializer,
    ReassignInput,
    WorkloadSerializer,
    assignment_data,
)
from aftercare.core.api import ApiView, api_actor


class AssignmentView(ApiView):
    """Only the organisation holding the case reads or changes who holds it; a partner reading
    the case through a referral gets 403, any other caller 404."""

    @extend_schema(responses=AssignmentSerializer)
    def get(self, request, survivor_id):
        case = access_case(api_actor(request), survivor_id)
        case.require_holder()
        return Response(assignment_data(case.survivor))

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
        return Response(assignment_data(case.survivor))


class WorkloadView(ApiView):
    """The caller's organisation's open caseload by worker and team: supervisors and admins."""

    @extend_schema(responses=WorkloadSerializer)
    def get(self, request):
        actor = api_actor(request)
        require(actor, Action.VIEW_WORKLOAD)
        loads = assignment.workload(actor)
        record(actor, AuditAction.LIST, object_type="cases.survivor", label="caseload by worker")
        return Response(WorkloadSerializer(loads).data)
