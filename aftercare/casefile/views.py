"""The composed pages: the case list, the case page and its panels, merging two case files,
and the dashboard. Thin: fetch the case through `access_case`, ask each domain for its
section (`casefile.page`, `casefile.workqueue`), render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts import services as accounts_services
from aftercare.accounts.policy import Action, can, require
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.casefile import page, workqueue
from aftercare.casefile.merge import merge_cases
from aftercare.cases import assignment, counting, services
from aftercare.cases import merge as merge_service
from aftercare.cases import sections as cases
from aftercare.cases.access import access_case, with_listed_names
from aftercare.cases.forms import MergeForm, ReassignForm
from aftercare.cases.models import CaseStatus
from aftercare.cases.models.survivor import RISK_LEVEL_FILTERS
from aftercare.cases.views.case import back_to
from aftercare.core.errors import DomainError
from aftercare.core.submit import flash_by_place, form_errors
from aftercare.risk import services as risk_services
from aftercare.voice.portal_accounts import active_account

CASELOAD_PAGE_SIZE = 50


class CountingPaginator(Paginator):
    """Counts the plain queryset: the risk annotations add joins a count does not need."""

    def __init__(self, *args, count_of, **kwargs):
        super().__init__(*args, **kwargs)
        self._count_of = count_of

    @property
    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._count = self._count_of.count()
        return self._count


@login_required
def case_list(request):
    """The caseload: the cases the actor may see (cases), with their current risk (risk)."""
    actor = request.actor
    require(actor, Action.VIEW_CASES)
    query, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    held = request.GET.get("held") == "1"
    found = services.search_survivors(actor, query, status, held=held)
    base = found.cases
    # "My cases" first for a case worker (hers, and those partners share with her organisation);
    # the whole organisation's (those she may see) one switch away, or one worker's or one team's.
    # A supervisor opens on the whole organisation's, and so does a search (she is looking for
    # someone, "the girl from Tuesday", not at her own list) and anyone following "held by your
    # organisation" (the dashboard's and the reports' count).
    default_scope = "mine" if actor.role == Role.CASE_WORKER and not held and not query else "all"
    scope = request.GET.get("scope") or default_scope
    worker, team = request.GET.get("worker", ""), request.GET.get("team", "")
    base = assignment.filter_caseload(
        base,
        actor,
        assigned_to=worker or ("mine" if scope == "mine" and not team else ""),
        team=team,
    )
    order = request.GET.get("order", "")
    risk_level = request.GET.get("risk_level", "")
    if risk_level in RISK_LEVEL_FILTERS:
        base = base.at_risk_level(risk_level)
    rows = risk_services.annotate_caseload(base)
    if order in risk_services.CASELOAD_ORDERINGS:
        rows = risk_services.order_caseload(rows, order)
    listed = CountingPaginator(rows.merged(), CASELOAD_PAGE_SIZE, count_of=base).get_page(
        request.GET.get("page")
    )
    listed.object_list = with_listed_names(actor, listed.object_list)
    if not query:  # a search was recorded by the search itself, with what matched and how
        record(
            actor,
            AuditAction.LIST,
            object_type="cases.survivor",
            label=f"{len(listed.object_list)} cases",
        )
    context = {
        "page": listed,
        "query": query,
        "status": status,
        "statuses": CaseStatus.choices,
        "order": order,
        "risk_level": risk_level,
        "can_create": can(actor, Action.CREATE_CASE),
        "held": held,
        "open_status": services.OPEN,
        "scope": "all" if (worker or team) else scope,
        "worker": worker,
        "team": team,
        "organisation_id": actor.organisation_id,
        "can_see_workload": can(actor, Action.VIEW_WORKLOAD),
    }
    if request.headers.get("HX-Request"):
        return render(request, "casefile/_case_rows.html", context)
    context.update(assignment.filter_choices(actor))
    # The count of open cases, as the dashboard and the reports count them, and what it counts.
    context.update(
        open_count=counting.open_cases(actor).count(),
        open_definition=counting.definition(),
        open_as_of=timezone.now(),
    )
    return render(request, "casefile/case_list.html", context)


@require_safe
@login_required
def case_detail(request, survivor_id):
    case = access_case(request.actor, survivor_id)
    flash = flash_by_place(request, (anchor for anchor, _label in case.nav))
    return render(request, "casefile/case.html", {**page.case_page_context(case), "flash": flash})


@require_safe
@login_required
def case_panel(request, survivor_id, name: str):
    """A panel of the case page (`casefile.page.PANELS`), read only when she opens it (htmx),
    so the page's own cost does not carry it. The case comes through `access_case` for the
    panel's section: a partner it was not shared with is refused here as on the page."""
    section, read = page.PANELS[name]
    case = access_case(request.actor, survivor_id, section=section)
    fragment, context = read(case)
    # An htmx request gets the panel alone, to swap into the case page; a browser without
    # JavaScript follows the link and gets it on a page of its own.
    context = {**context, "survivor": case.survivor, "fragment": fragment}
    return render(
        request, fragment if request.headers.get("HX-Request") else "casefile/panel.html", context
    )


@login_required
def merge(request, survivor_id):
    """A supervisor merges another record of the same person into this case (casefile.merge)."""
    actor = request.actor
    case = access_case(actor, survivor_id, write=True)
    case.require_holder()
    require(actor, Action.MERGE_CASES)
    keep = case.survivor
    candidates = merge_service.possible_duplicates_of(actor, keep)
    form = MergeForm(request.POST or None, candidates=candidates, initial={"version": keep.version})
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"] or merge_service.case_id_by_code(
            actor, form.cleaned_data["other_code"]
        )
        try:
            merge_cases(actor, keep.pk, other, version=form.cleaned_data["version"])
        except Http404:
            form.add_error("other_code", _("Your organisation holds no other case with this code."))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The cases are merged: everything is now in this case, "
                    "and the other is closed as a duplicate."
                ),
            )
            return back_to(keep, "overview")
    return render(request, "casefile/merge.html", {"form": form, "survivor": keep, "case": case})


@login_required
@require_POST
def reassign(request, survivor_id):
    """Hand the case to another worker with a note: its current worker, or a supervisor."""
    actor = request.actor
    case = access_case(actor, survivor_id, write=True)
    require(actor, Action.HAND_OVER_CASE)
    form = ReassignForm(request.POST, **assignment.form_choices(actor))
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover = assignment.reassign_case(
                actor,
                case,
                to_worker=data["to_worker"],
                team=data["team"] or None,
                note=data["note"],
                version=data["version"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Case handed over to %(name)s.")
                % {"name": assignment.worker_label(handover.to_worker)},
            )
            return back_to(case.survivor, "overview")
    # Refused: the page again with what was typed (the note is not lost) and why, by the form.
    form_errors(request, form)
    context = {**page.case_page_context(case), "reassign_form": form}
    return render(request, "casefile/case.html", context, status=400)


@login_required
def dashboard(request):
    """The home page: the actor's work queue, the caseload (cases), and recent activity (audit)."""
    actor = request.actor
    if can(actor, Action.VIEW_OWN_PLAN) and active_account(request.user) is not None:
        return redirect("voice:portal")  # a survivor's home is their own portal
    context = {
        "work": workqueue.grouped(workqueue.for_actor(actor)),
        "shortcuts": workqueue.shortcuts(actor),
        **cases.dashboard(actor),
    }
    if can(actor, Action.VIEW_AUDIT):
        context["recent_events"] = accounts_services.audit_trail(actor)[:6]
    return render(request, "casefile/dashboard.html", context)
