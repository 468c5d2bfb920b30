"""Checking a password and a second factor, shared by the sign-in page and the token endpoint."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record


@dataclass
class PasswordCheck:
    user: User | None
    locked_out: bool


def check_password(request, username: str, password: str) -> PasswordCheck:
    """Authenticate through django-axes, which counts failures and locks out repeat guessing.

    The caller must give one generic answer for every failure so that nobody learns
    whether a username exists.
    """
    user = authenticate(request, username=username, password=password)
    locked = bool(getattr(request, "axes_locked_out", False))
    if user is None:
        record(None, AuditAction.SIGN_IN_FAILED, label=username[:150], object_type="accounts.user")
        return PasswordCheck(user=None, locked_out=locked)
    return PasswordCheck(user=user, locked_out=False)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out client (AXES_LOCKOUT_CALLABLE): the API contract's
    JSON error with 429 for an API client, the page with 429 for a browser."""
    if request.path.startswith("/api/"):
        message = _("Too many failed attempts. Try again later.")
        return JsonResponse(
            {"errors": {"non_field_errors": [message]}, "detail": message}, status=429
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
