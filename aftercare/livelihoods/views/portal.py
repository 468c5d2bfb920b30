"""The survivor's own earnings, savings, jobs and training in the portal (/me/earnings/)."""

from __future__ import annotations

from django.shortcuts import render

from aftercare.livelihoods import portal
from aftercare.voice.portal_views import survivor_portal


@survivor_portal
def earnings(request, account):
    return render(request, "livelihoods/portal_earnings.html", {**portal.own_livelihood(request.actor, account), "here": "earnings"})
