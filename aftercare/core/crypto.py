"""Encryption of direct identifiers and the keyed blind index used to search them.

Primitives come from `cryptography` (Fernet: AES-128-CBC with HMAC-SHA256, and MultiFernet
for key rotation); this module only decides where the keys come from and how values are
normalised before the blind index is computed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(Exception):
    """No configured key opens this value: a key was removed before rotation finished."""


def _development_key(purpose: str) -> bytes:
    """A key derived from SECRET_KEY, allowed only outside production mode."""
    digest = hashlib.sha256(f"aftercare:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.AFTERCARE_FIELD_KEYS)
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("AFTERCARE_FIELD_KEYS must be set in production mode")
        keys = [_development_key("field").decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "AFTERCARE_FIELD_KEYS must be comma-separated Fernet keys "
            "(generate one with `aftercare generate-key`)"
        ) from exc


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    key = settings.AFTERCARE_BLIND_INDEX_KEY
    if not key:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("AFTERCARE_BLIND_INDEX_KEY must be set in production mode")
        return _development_key("blind-index")
    return key.encode()


def reset_key_cache() -> None:
    """Forget cached keys (after settings change in tests or during rotation)."""
    _fernet.cache_clear()
    _index_key.cache_clear()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("no configured field key decrypts this value") from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise DecryptionFailed("no configured field key decrypts this value") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("no configured field key decrypts this value") from exc


def normalise(value: str) -> str:
    """Case-, accent- and spacing-insensitive form for exact-match search."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def blind_index(value: str | None) -> str:
    """Keyed HMAC of the normalised value: equal inputs match, the value cannot be read back."""
    if not value or not normalise(value):
        return ""
    mac = hmac.new(_index_key(), normalise(value).encode(), hashlib.sha256)
    return mac.hexdigest()[:40]
