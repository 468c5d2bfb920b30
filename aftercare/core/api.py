"""Shared API pieces: the error format of API.md and the request's acting membership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aftercare.accounts.services import actor_for
from aftercare.core.errors import DomainError
from aftercare.core.policy import Actor

ORGANISATION_HEADER = "X-Aftercare-Organisation"


def api_actor(request) -> Actor:
    """The caller acting in the organisation named by the header, else their first one."""
    cached = getattr(request, "_aftercare_actor", None)
    if cached is None:
        cached = actor_for(request.user, request.headers.get(ORGANISATION_HEADER))
        request._aftercare_actor = cached
    return cached


def _as_field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for field, msgs in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """Map domain errors and DRF errors to `{"errors": {field: [messages]}}` with the contract's codes."""
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        return Response({"errors": {field: [exc.message]}, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _as_field_errors(exc.detail)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"errors": {"non_field_errors": [str(detail)]}, "detail": str(detail)}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class ListPagination(LimitOffsetPagination):
    """`{"count", "next", "results"}` with `?limit=` (at most 500) and `?offset=`."""

    default_limit = 50
    max_limit = 500

    def get_paginated_response(self, data):
        return Response({"count": self.count, "next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
