"""API: a survivor's own livelihood, with her own token (GET /api/v1/me/livelihood)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action, require
from aftercare.core.api import api_actor
from aftercare.livelihoods import own_livelihood
from aftercare.livelihoods.serializers.fields import money
from aftercare.livelihoods.serializers.own_livelihood import OWN_SCHEMA
from aftercare.voice.portal_accounts import active_account


class OwnLivelihoodView(APIView):
    @extend_schema(responses=OWN_SCHEMA)
    def get(self, request):
        """For a survivor's own token: her earnings from sales, savings, jobs and training."""
        actor = api_actor(request)
        require(actor, Action.VIEW_OWN_LIVELIHOOD)
        mine = own_livelihood.own_livelihood(actor, active_account(request.user))
        return Response(
            {
                "earnings": [
                    {
                        "product": s.sale.product.name,
                        "sold_on": s.sale.sold_on,
                        "amount": money(s.amount, s.currency),
                        "currency": s.currency,
                    }
                    for s in mine["earnings"]
                ],
                "earnings_totals": {c: money(t, c) for c, t in mine["earnings_totals"]},
                "savings": {a.currency: money(a.balance, a.currency) for a in mine["savings"]},
                "jobs": [
                    {
                        "employer": j.employer.name,
                        "role": j.role,
                        "start_date": j.start_date,
                        "end_date": j.end_date,
                        "wage_amount": money(j.wage_amount, j.currency),
                        "currency": j.currency,
                        "pay_period": j.pay_period,
                    }
                    for j in mine["jobs"]
                ],
                "training": [
                    {
                        "programme": e.cohort.programme.name,
                        "status": e.status,
                        "certificate_number": e.certificate_number,
                    }
                    for e in mine["training"]
                ],
            }
        )
