"""Liveness and the error pages. (The dashboard is composed above the domains, in
`aftercare.casefile.views`.)"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render


def health(request):
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)
