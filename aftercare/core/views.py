"""The dashboard, liveness, and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from aftercare.accounts.policy import Action, can
from aftercare.audit.models import AuditEvent
from aftercare.cases import counting
from aftercare.cases.access import with_listed_names
from aftercare.cases.models import CaseStatus, Survivor
from aftercare.cases.services import IDENTIFIER_FIELDS, OPEN
from aftercare.core import workqueue
from aftercare.voice.portal_accounts import active_account


@login_required
def dashboard(request):
    actor = request.actor
    if can(actor, Action.VIEW_OWN_PLAN) and active_account(request.user) is not None:
        return redirect("voice:portal")  # a survivor's home is their own portal
    context = {"can_view_cases": can(actor, Action.VIEW_CASES), "work": workqueue.grouped(workqueue.for_actor(actor)),
               "shortcuts": workqueue.shortcuts(actor)}
    if context["can_view_cases"]:
        # The organisation's own cases, as the case list (held by your organisation) and the
        # reports count them; the open count is the one definition, said in words on the page.
        held = Survivor.objects.owned_by(actor).counted()
        # COUNT(*), not COUNT(id): PostgreSQL answers it from the (organisation, status) index
        # alone (an index-only scan) instead of visiting every case's row.
        by_status = dict(held.values_list("status").annotate(n=Count("*")).order_by())
        context["status_counts"] = [
            {"status": status, "label": status.label, "count": by_status.get(status.value, 0)}
            for status in CaseStatus
        ]
        context.update(open_cases=counting.open_cases(actor).count(), open_status=OPEN,
                       open_definition=counting.definition(), open_as_of=timezone.now())
        # Without the encrypted identifiers; the first names shown are read for these rows alone.
        context["recent_cases"] = with_listed_names(
            actor, Survivor.objects.visible_to(actor).select_related("region").defer(*IDENTIFIER_FIELDS)[:8]
        )
    if can(actor, Action.VIEW_AUDIT):
        context["recent_events"] = AuditEvent.objects.visible_to(actor)[:6]
    return render(request, "core/dashboard.html", context)


def health(request):
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)
