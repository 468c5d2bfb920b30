"""Case pages. Thin: parse, call cases.services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import services
from aftercare.cases.forms import SurvivorForm
from aftercare.cases.models import CaseStatus
from aftercare.core.policy import Action, can, require


@login_required
def case_list(request):
    actor = request.actor
    require(actor, Action.VIEW_CASES)
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    cases = services.search_survivors(actor, query, status)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    record(actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(page.object_list)} cases")
    template = "cases/_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request,
        template,
        {"page": page, "query": query, "status": status, "statuses": CaseStatus.choices, "can_create": can(actor, Action.CREATE_CASE)},
    )


@login_required
def case_detail(request, survivor_id):
    survivor = services.get_survivor(request.actor, survivor_id)
    return render(request, "cases/detail.html", {"survivor": survivor, "can_edit": can(request.actor, Action.EDIT_CASE)})


@login_required
def intake(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    form = SurvivorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survivor = services.intake_survivor(actor, form.cleaned_data)
        messages.success(request, _("Case %(code)s opened.") % {"code": survivor.case_code})
        return redirect("cases:detail", survivor_id=survivor.pk)
    return render(request, "cases/intake.html", {"form": form})
