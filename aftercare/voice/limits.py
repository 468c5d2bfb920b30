"""Rate limits for the doors that need no account: the feedback-code page, the API with a
code, and the SMS webhook. Counters live in the cache (Redis when configured), keyed by a
hash of the client address or the sender's number, never the number itself."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from aftercare.core import crypto
from aftercare.core.errors import DomainError

WINDOW_SECONDS = 3600


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"


def client_key(kind: str, value: str) -> str:
    return f"voice:{kind}:{crypto.blind_index(f'{kind}:{value}') or 'none'}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> int:
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def hit(key: str) -> None:
    """Count one submission; refuse beyond AFTERCARE_FEEDBACK_RATE_PER_HOUR."""
    if _bump(f"{key}:all") > settings.AFTERCARE_FEEDBACK_RATE_PER_HOUR:
        raise RateLimited(_("Too many tries. Wait an hour and try again."))


def check_failures(key: str) -> None:
    """Refuse further codes after AFTERCARE_FEEDBACK_CODE_FAILURES wrong ones in an hour."""
    if _count(f"{key}:failed") >= settings.AFTERCARE_FEEDBACK_CODE_FAILURES:
        raise RateLimited(_("Too many wrong codes. Wait an hour and try again."))


def note_failure(key: str) -> None:
    _bump(f"{key}:failed")
