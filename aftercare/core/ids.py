"""Ids read from an address or a query string: text anyone can type, so never trusted as a key.

`parse_uuid` is the one place such text becomes a UUID; `get_by_id` fetches a row by it and
answers 404 for a malformed id exactly as for an unknown one, so a visitor learns nothing
from the difference.
"""

from __future__ import annotations

import uuid

from django.db.models import Model, QuerySet
from django.http import Http404


def parse_uuid(value) -> uuid.UUID | None:
    """`value` as a UUID, or None when it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def is_uuid(value) -> bool:
    return parse_uuid(value) is not None


def get_by_id(queryset: QuerySet, value, missing: str = "") -> Model:
    """The row of `queryset` whose id is `value`; a 404 (saying `missing`) for any other."""
    key = parse_uuid(value)
    if key is None:
        raise Http404(missing)
    try:
        return queryset.get(pk=key)
    except queryset.model.DoesNotExist as exc:
        raise Http404(missing) from exc
