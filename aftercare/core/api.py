"""Shared API pieces: the error format of API.md, the request's acting membership, the page of a
list, the base view that reads a request body through a serializer, and the schema class that
declares every status code the API answers (so that a generated client knows each of them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from aftercare.core.errors import DomainError
from aftercare.core.policy import Actor

ORGANISATION_HEADER = "X-Aftercare-Organisation"


@cache
def _actor_for() -> Callable[..., Actor]:
    """`actor_for(user, organisation_key)` as settings name it: accounts knows memberships and
    roles, and core, below it, asks through this setting rather than importing accounts."""
    return import_string(settings.AFTERCARE_API_ACTOR)


def api_actor(request) -> Actor:
    """The caller acting in the organisation named by the header, else their first one."""
    cached = getattr(request, "_aftercare_actor", None)
    if cached is None:
        cached = _actor_for()(request.user, request.headers.get(ORGANISATION_HEADER))
        request._aftercare_actor = cached
    return cached


def _as_field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {
            field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for field, msgs in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """Map domain errors and DRF errors to `{"errors": {field: [messages]}}` with the contract's
    codes."""
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        return Response(
            {"errors": {field: [exc.message]}, "code": exc.code}, status=exc.status_code
        )
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
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        )
        response.data = {"errors": {"non_field_errors": [str(detail)]}, "detail": str(detail)}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class ListPagination(LimitOffsetPagination):
    """`{"count", "next", "previous", "results"}` with `?limit=` (at most 500) and `?offset=`.

    A list view declares `pagination_class = ListPagination` so that its schema is this page."""

    default_limit = 50
    max_limit = 500

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


def paginate(request, view, rows, serializer_class) -> Response:
    """One page of `rows`, serialised, in ListPagination's form."""
    paginator = ListPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ErrorSerializer(serializers.Serializer):
    """The error body of every 4xx answer: messages by field, and for some a code or a detail."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    code = serializers.CharField(
        required=False, help_text="a machine-readable reason, e.g. `stale_version`"
    )
    detail = serializers.CharField(required=False)


def read_object(request) -> Mapping:
    """The request body, which must be a JSON object; a 400 otherwise (never a 500 on `[1, 2]`)."""
    data = request.data
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return data


class ApiView(APIView):
    """An API view that reads its body through a serializer, after the permission check.

    `self.valid(Serializer)` answers 400 with field errors for a body that is not an object or
    that the serializer refuses, and returns the validated data. Call it after `require(...)`,
    so that a caller who may not act learns nothing from the shape of their request."""

    def valid(self, serializer_class: type[serializers.Serializer], **kwargs) -> dict:
        serializer = serializer_class(data=read_object(self.request), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


ERRORS = {
    "400": "The request is not valid: messages by field.",
    "401": "Not signed in (no token, or an expired or revoked one).",
    "403": "Signed in but not allowed.",
    "404": "No such record, or one the caller may not know about.",
    "409": (
        "A state conflict: a stale `version`, or a transition not allowed from the current state."
    ),
    "413": "The upload is too large.",
    "429": "Too many requests; try again later.",
}


def _model_field_of(field):
    """The model field behind a ModelSerializer's field, if any."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:  # a computed attribute, not a column
        return None


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers of API.md declared on every operation:
    400, 401, 403 and 404 everywhere (a bad filter or body, no or a stale token, a role that may
    not, a record the caller may not know; even the open endpoints refuse with 401 or 403), 409
    for writes, 413 for uploads, 429 for the open and the throttled endpoints. A view may
    declare more in its own `extend_schema` (e.g. 422), and `error_media_type` when its errors
    are not JSON."""

    def _get_paginator(self):
        """A list answer is a page of ListPagination unless the view says otherwise
        (`pagination_class = None` for a view that answers a bare list)."""
        pagination_class = getattr(self.view, "pagination_class", ListPagination)
        return pagination_class() if pagination_class else None

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A read-only model field answers what the column holds: blank for an optional choice,
        null for a nullable column (DRF's read-only fields forget both)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        model_field = _model_field_of(field)
        if model_field is None or not field.read_only or "$ref" in schema:
            return schema
        if getattr(model_field, "null", False):
            schema["nullable"] = True
        if getattr(model_field, "blank", False) and "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        return schema

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
            if any("multipart" in media for media in self.map_parsers()):
                codes.append("413")
        open_to_anyone = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if open_to_anyone or getattr(self.view, "throttle_scope", None):
            codes.append("429")  # the open endpoints (token, feedback, SMS) are rate-limited
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                media_type = getattr(self.view, "error_media_type", "application/json")
                body = ErrorSerializer if media_type == "application/json" else OpenApiTypes.STR
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(body, description=ERRORS[code]), code, [media_type]
                )
        return responses


def blank_is_a_string(result, generator, request, public):
    """Schema post-processing hook: declare the blank answer of an optional choice as the empty
    string, not as an enum of `""`, which client generators cannot name (`BlankEnum`)."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if schema.get("enum") == [""]:
            schema.pop("enum")
            schema.update({"type": "string", "maxLength": 0, "description": "blank: not given"})
    return result
