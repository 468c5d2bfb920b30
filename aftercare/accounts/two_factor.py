"""Two-factor sign-in with django-otp: TOTP devices, and single-use recovery codes."""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import User

RECOVERY_CODE_COUNT = 10


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify(user: User, token: str):
    """The device that accepts `token` (a TOTP code or an unused recovery code), else None.

    Each device throttles its own failures (django-otp), so guessing is slowed down.
    """
    token = "".join(token.split()).lower()
    if not token:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if token.isdigit() and device.verify_token(token):
                return device
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def start_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed TOTP device; it counts only once a code from it has been entered."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no external image service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#102a43", light="#ffffff"
    )


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if `token` is right; returns fresh recovery codes, or None."""
    if not token.strip().isdigit() or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the old ones stop working at once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
