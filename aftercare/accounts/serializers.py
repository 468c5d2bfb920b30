"""How accounts look in the API: API tokens, and the members of an organisation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from aftercare.accounts import members
from aftercare.accounts.models import MemberApproval


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(max_length=32, required=False, allow_blank=True)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


ROLE_CHOICES = [(role.value, role.label) for role in members.INVITABLE_ROLES]


class MemberOutput(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    user = serializers.UUIDField(source="user_id")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()
    active = serializers.BooleanField(source="is_active")
    state = serializers.SerializerMethodField(
        help_text="`active`, `invited`, `awaiting_approval` or `inactive`"
    )
    second_factor = serializers.BooleanField(help_text="an authenticator is enrolled")
    last_sign_in = serializers.DateTimeField(source="user.last_login", allow_null=True)
    pending_role = serializers.SerializerMethodField(
        help_text="a role asked for and awaiting a supervisor"
    )
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
    invitation_link = serializers.CharField(
        help_text="the one-time link, answered this once and stored nowhere"
    )
    emailed = serializers.BooleanField()


class InviteInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="the link is e-mailed here"
    )
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class MemberPatch(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    active = serializers.BooleanField(
        required=False, help_text="false deactivates the member (a leaver)"
    )

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send a role or active: false.")]}
            )
        if data.get("active") is True:
            raise serializers.ValidationError(
                {"active": [_("A member is made active by an invitation, not here.")]}
            )
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
