"""Checking a password and a second factor, shared by the sign-in page and the token endpoint."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate

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
