"""Attach the acting membership to each request and hold staff at the second factor."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from aftercare.accounts.services import actor_for

ACTIVE_ORG_SESSION_KEY = "aftercare_active_org"


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def load():
            user = request.user
            if not user.is_authenticated:
                return None
            return actor_for(user, request.session.get(ACTIVE_ORG_SESSION_KEY))

        request.actor = SimpleLazyObject(load)
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """A staff user signed in with a password alone may reach only the two-factor pages."""

    OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/health", "/ready")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            allowed = {
                reverse("accounts:two_factor"),
                reverse("accounts:two_factor_enrol"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                return redirect("accounts:two_factor")
        return self.get_response(request)
