"""API: an organisation admin's members, and a supervisor's approvals of roles that see cases.

The same operations as the web pages (aftercare.accounts.members); 403 for a role that may
not, 404 for another organisation's member, 409 for a change the member's state does not allow.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from aftercare.accounts import members
from aftercare.accounts.serializers import (
    ApprovalOutput,
    InvitedOutput,
    InviteInput,
    MemberOutput,
    MemberPatch,
)
from aftercare.core.api import ApiView, ListPagination, api_actor, paginate


def _fresh(actor, membership_id):
    return members.member_of(actor, membership_id)


class MembersView(ApiView):
    pagination_class = ListPagination

    @extend_schema(
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=MemberOutput(many=True),
    )
    def get(self, request):
        """The caller's organisation's members (organisation admins)."""
        return paginate(request, self, members.members_of(api_actor(request)), MemberOutput)

    @extend_schema(request=InviteInput, responses={201: InvitedOutput})
    def post(self, request):
        """Invite a member. A role that sees cases waits for a supervisor's approval."""
        actor = api_actor(request)
        members.members_of(actor)  # 403 before the body is read
        sent = members.invite(actor, **self.valid(InviteInput))
        data = MemberOutput(_fresh(actor, sent.membership.pk)).data
        return Response(
            {**data, "invitation_link": sent.link, "emailed": sent.emailed},
            status=status.HTTP_201_CREATED,
        )


class MemberView(ApiView):
    @extend_schema(responses=MemberOutput)
    def get(self, request, membership_id):
        return Response(MemberOutput(members.member_of(api_actor(request), membership_id)).data)

    @extend_schema(request=MemberPatch, responses=MemberOutput)
    def patch(self, request, membership_id):
        """Change `role` (at once, or awaiting approval: see `pending_role`), or set `active`
        false."""
        actor = api_actor(request)
        members.member_of(actor, membership_id)
        data = self.valid(MemberPatch)
        if "role" in data:
            members.change_role(actor, membership_id, data["role"])
        if data.get("active") is False:
            members.deactivate(actor, membership_id)
        return Response(MemberOutput(_fresh(actor, membership_id)).data)


class MemberResetSecondFactorView(ApiView):
    @extend_schema(request=None, responses=MemberOutput)
    def post(self, request, membership_id):
        """Remove the member's second factor; their sessions end and API tokens are revoked."""
        actor = api_actor(request)
        members.reset_second_factor(actor, membership_id)
        return Response(MemberOutput(_fresh(actor, membership_id)).data)


class MemberDeactivateView(ApiView):
    @extend_schema(request=None, responses=MemberOutput)
    def post(self, request, membership_id):
        """A leaver: membership inactive, sessions ended, API tokens revoked."""
        actor = api_actor(request)
        members.deactivate(actor, membership_id)
        return Response(MemberOutput(_fresh(actor, membership_id)).data)


class MemberApprovalsView(ApiView):
    pagination_class = ListPagination

    @extend_schema(
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=ApprovalOutput(many=True),
    )
    def get(self, request):
        """Roles awaiting a supervisor's approval in the caller's organisation (supervisors)."""
        return paginate(request, self, members.approvals_for(api_actor(request)), ApprovalOutput)


def decision_view(approve: bool):
    class DecisionView(ApiView):
        @extend_schema(
            request=None,
            responses=ApprovalOutput,
            operation_id=f"member_approval_{'approve' if approve else 'reject'}",
        )
        def post(self, request, approval_id):
            approval = members.decide(api_actor(request), approval_id, approve)
            return Response(ApprovalOutput(approval).data)

    DecisionView.__name__ = f"MemberApproval{'Approve' if approve else 'Reject'}View"
    DecisionView.__doc__ = "Approve a pending role." if approve else "Reject a pending role."
    return DecisionView
