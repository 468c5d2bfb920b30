"""What operators and benchmarks call: readiness, and the framework floor."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from aftercare.core import probes


@never_cache
def ready(request):
    """200 when the database, the cache and the broker answer; 503 naming those that did not."""
    checks = probes.readiness()
    failed = sorted(name for name, outcome in checks.items() if outcome != "ok")
    if failed:
        return JsonResponse(
            {"status": "unavailable", "failed": failed, "checks": checks}, status=503
        )
    return JsonResponse({"status": "ready", "checks": checks})


def bench_floor(request):
    """A view that does nothing, behind the whole middleware stack: what any page costs at least.

    bench/load.py divides each endpoint's throughput by this one's. It exists only with
    AFTERCARE_BENCH_FLOOR=1, so a production server does not offer it.
    """
    if not settings.AFTERCARE_BENCH_FLOOR:
        raise Http404("No such page")
    return HttpResponse("ok\n", content_type="text/plain")
