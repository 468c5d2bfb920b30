"""API: tokens and the caller."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts import two_factor
from aftercare.accounts.models import ApiToken
from aftercare.accounts.serializers import TokenRequest, TokenResponse
from aftercare.accounts.signin import check_password
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.api import api_actor


def _unauthorised(message: str) -> Response:
    return Response(
        {"errors": {"non_field_errors": [message]}, "detail": message},
        status=status.HTTP_401_UNAUTHORIZED,
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


class TokenView(APIView):
    """Exchange a username, password and (for staff) a one-time code for a bearer token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "token"

    @extend_schema(request=TokenRequest, responses={200: TokenResponse})
    def post(self, request):
        form = TokenRequest(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        check = check_password(request._request, data["username"], data["password"])
        if check.locked_out:
            message = _("Too many failed attempts. Try again later.")
            return Response(
                {"errors": {"non_field_errors": [message]}, "detail": message}, status=429
            )
        generic = _("The username, password or code is not right.")
        user = check.user
        if user is None:
            return _unauthorised(generic)
        if user.needs_two_factor:
            if not two_factor.has_confirmed_device(user):
                return _unauthorised(
                    _("Two-factor sign-in is required: set it up on the web first.")
                )
            if not two_factor.verify(user, data.get("otp") or ""):
                return _unauthorised(generic)
        raw, token = ApiToken.issue(user)
        record(user, AuditAction.SIGN_IN, user, label=user.username, reason="api token")
        return Response({"token": raw, "expires_at": token.expires_at})


class MeView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.UUIDField(),
                "username": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "organisations": serializers.ListField(child=serializers.DictField()),
                "active_organisation": serializers.DictField(allow_null=True),
                "active_role": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request):
        actor = api_actor(request)
        memberships = list(request.user.active_memberships())
        return Response(
            {
                "id": str(request.user.pk),
                "username": request.user.username,
                "roles": sorted({m.role for m in memberships}),
                "organisations": [
                    {
                        "id": str(m.organisation.pk),
                        "slug": m.organisation.slug,
                        "name": m.organisation.name,
                        "role": m.role,
                    }
                    for m in memberships
                ],
                "active_organisation": (
                    {
                        "id": str(actor.organisation.pk),
                        "slug": actor.organisation.slug,
                        "name": actor.organisation.name,
                    }
                    if actor.organisation
                    else None
                ),
                "active_role": actor.role,
            }
        )
