"""API: an organisation admin's members, and a supervisor's approvals of roles that see cases.

The same operations as the web pages (aftercare.accounts.members); 403 for a role that may
not, 404 for another organisation's member, 409 for a change the member's state does not allow.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from aftercare.accounts import members
from aftercare.accounts.models import MemberApproval
from aftercare.core.api import ApiView, ListPagination, api_actor, paginate

ROLE_CHOICES = [(role.value, role.label) for role in members.INVITABLE_ROLES]


class MemberOutput(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    user = serializers.UUIDField(source="user_id")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()
    active = serializers.BooleanField(source="is_active")
    state = serializers.SerializerMethodField(help_text="`active`, `invited`, `awaiting_approval` or `inactive`")
    second_factor = serializers.BooleanField(help_text="an authenticator is enrolled")
    last_sign_in = serializers.DateTimeField(source="user.last_login", allow_null=True)
    pending_role = serializers.SerializerMethodField(help_text="a role asked for and awaiting a supervisor")
    pending_approval = serializers.SerializerMethodField()

    def get_state(self, obj) -> str:
        return members.state_of(obj)

    def _pending(self, obj) -> MemberApproval | None:
        return next(iter(getattr(obj, "pending_approvals", [])), None)

    def get_pending_role(self, obj) -> str | None:
        pending = self._pending(obj)
        return pending.role if pending else None

    def get_pending_approval(self, obj) -> str | None:
        pending = self._pending(obj)
        return str(pending.pk) if pending else None


class InvitedOutput(MemberOutput):
    invitation_link = serializers.CharField(help_text="the one-time link, answered this once and stored nowhere")
    emailed = serializers.BooleanField()


class InviteInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, help_text="the link is e-mailed here")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class MemberPatch(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    active = serializers.BooleanField(required=False, help_text="false deactivates the member (a leaver)")

    def validate(self, data):
        if not data:
            raise serializers.ValidationError({"non_field_errors": [_("Send a role or active: false.")]})
        if data.get("active") is True:
            raise serializers.ValidationError({"active": [_("A member is made active by an invitation, not here.")]})
        return data


class ApprovalOutput(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    member = serializers.UUIDField(source="membership_id")
    username = serializers.CharField(source="membership.user.username")
    kind = serializers.CharField()
    role = serializers.CharField()
    previous_role = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username", default=None)
    requested_at = serializers.DateTimeField()


def _fresh(actor, membership_id):
    return members.member_of(actor, membership_id)


class MembersView(ApiView):
    pagination_class = ListPagination

    @extend_schema(parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=MemberOutput(many=True))
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
        return Response({**data, "invitation_link": sent.link, "emailed": sent.emailed}, status=status.HTTP_201_CREATED)


class MemberView(ApiView):
    @extend_schema(responses=MemberOutput)
    def get(self, request, membership_id):
        return Response(MemberOutput(members.member_of(api_actor(request), membership_id)).data)

    @extend_schema(request=MemberPatch, responses=MemberOutput)
    def patch(self, request, membership_id):
        """Change `role` (at once, or awaiting approval: see `pending_role`), or set `active` false."""
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

    @extend_schema(parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=ApprovalOutput(many=True))
    def get(self, request):
        """Roles awaiting a supervisor's approval in the caller's organisation (supervisors)."""
        return paginate(request, self, members.approvals_for(api_actor(request)), ApprovalOutput)


def decision_view(approve: bool):
    class DecisionView(ApiView):
        @extend_schema(request=None, responses=ApprovalOutput, operation_id=f"member_approval_{'approve' if approve else 'reject'}")
        def post(self, request, approval_id):
            approval = members.decide(api_actor(request), approval_id, approve)
            return Response(ApprovalOutput(approval).data)

    DecisionView.__name__ = f"MemberApproval{'Approve' if approve else 'Reject'}View"
    DecisionView.__doc__ = "Approve a pending role." if approve else "Reject a pending role."
    return DecisionView
