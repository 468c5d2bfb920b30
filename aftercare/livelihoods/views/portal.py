"""The survivor's own earnings, savings, jobs and training in the portal (/me/earnings/)."""

from __future__ import annotations

from django.shortcuts import render

from aftercare.livelihoods import own_livelihood
from aftercare.voice.views.portal import survivor_portal


@survivor_portal
def earnings(request, account):
    return render(
        request,
        "livelihoods/portal_earnings.html",
        {**own_livelihood.own_livelihood(request.actor, account), "here": "earnings"},
    )
