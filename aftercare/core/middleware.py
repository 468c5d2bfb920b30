"""Request-scoped metadata (a request id and the client address) for logs and the audit trail."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_meta: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "aftercare_request_meta", default=None
)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_meta() -> dict:
    return _request_meta.get() or {}


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_meta.set({"request_id": request_id, "ip": request.META.get("REMOTE_ADDR")})
        try:
            response = self.get_response(request)
        finally:
            _request_meta.reset(token)
        response["X-Request-ID"] = request_id
        return response
