"""`Authorization: Bearer <token>` for the API, against hashed, expiring tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from aftercare.accounts.models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            raise exceptions.AuthenticationFailed(
                _("Use the header 'Authorization: Bearer <token>'.")
            )
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(key_hash=ApiToken.hash(parts[1]))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is invalid or has expired."))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
