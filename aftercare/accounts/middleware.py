"""Attach the acting membership to each request and hold staff at the second factor."""

from __future__ import annotations

import functools
import time

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from aftercare.accounts import identity
from aftercare.accounts.services import actor_for

ACTIVE_ORG_SESSION_KEY = "aftercare_active_org"
SEEN_SESSION_KEY = "aftercare_seen"
SLIDE_EVERY_SECONDS = 60


class SlidingSessionMiddleware:
    """Sessions slide forward with activity, but are written at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) cost each page an UPDATE
    and a COMMIT. The session's expiry moves when it is saved, so saving it when it was last
    saved a minute or more ago keeps the idle timeout to within a minute of its setting. Placed
    right after Django's SessionMiddleware, which then saves what this marked as changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.modified
            and not session.is_empty()
        ):
            now = int(time.time())
            if now - session.get(SEEN_SESSION_KEY, 0) >= SLIDE_EVERY_SECONDS:
                session[SEEN_SESSION_KEY] = now
        return response


class IdentityMiddleware:
    """`request.user` with its second factor, as Django's AuthenticationMiddleware and
    django-otp's OTPMiddleware set it, read through the identity cache
    (aftercare.accounts.identity)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(functools.partial(self._user, request))
        return self.get_response(request)

    @staticmethod
    def _user(request):
        user = identity.load_user(request)
        user.otp_device = identity.verified_device(request, user) if user.is_authenticated else None
        user.is_verified = functools.partial(_is_verified, user)
        return user


def _is_verified(user) -> bool:
    return user.otp_device is not None


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


class OrganisationTimeZoneMiddleware:
    """Times on a page are in the zone of the organisation the user acts for (its own, or its
    country's). Placed after ActorMiddleware; a request with no actor (signed out, the API's
    bearer tokens, which carry UTC offsets anyway) keeps the site's zone."""

    SKIP_PREFIXES = ("/static/", "/health", "/ready", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = None
        if not request.path.startswith(self.SKIP_PREFIXES) and request.user.is_authenticated:
            actor = request.actor
        if actor is not None and actor.organisation is not None:
            timezone.activate(actor.organisation.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
