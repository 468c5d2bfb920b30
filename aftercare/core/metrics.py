"""Prometheus metrics: request counts and latencies by route, and who may read them.

Labels are the route's name (`cases:detail`), the method and the status: never a path, a
query string or a user, so no case id, name or search term reaches the monitoring system,
and the number of series stays fixed. Under gunicorn each worker keeps its own numbers; with
`PROMETHEUS_MULTIPROC_DIR` set (aftercare/gunicorn.conf.py does it) `/metrics` adds them up.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from aftercare.core.logs import mask_secrets

REQUESTS = Counter(
    "aftercare_http_requests", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "aftercare_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

request_log = logging.getLogger("aftercare.request")


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    """Counts and times every request, and logs one line for it (path without its query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        method = request.method if request.method in METHODS else "other"
        route = route_of(request)
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        LATENCY.labels(method, route).observe(seconds)
        request_log.info(
            "%s %s %s",
            method,
            mask_secrets(request.path),
            response.status_code,
            extra={
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.AFTERCARE_METRICS_NETWORKS]


def may_read_metrics(request: HttpRequest) -> bool:
    """A scraper with the token, or a direct connection from an allowed network.

    A request that came through a proxy (it carries X-Forwarded-For) is judged by the token
    alone: behind nginx on the same host every visitor's address is 127.0.0.1.
    """
    token = settings.AFTERCARE_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks())


def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read_metrics(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
