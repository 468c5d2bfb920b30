"""Case pages. Thin: parse the form, call cases.services or cases.care, render or redirect."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts.policy import Action, can, require
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment, care, counting, page, services
from aftercare.cases import merge as merge_service
from aftercare.cases.access import Section, access_case, with_listed_names
from aftercare.cases.forms import (
    ConsentForm,
    DocumentForm,
    GoalForm,
    GoalStatusForm,
    LegalForm,
    MergeForm,
    NeedsForm,
    NoteForm,
    ReassignForm,
    ReviewForm,
    ServiceForm,
    StatusForm,
    SurvivorEditForm,
    SurvivorForm,
)
from aftercare.cases.models import CaseStatus
from aftercare.cases.models.survivor import RISK_LEVEL_FILTERS
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.submit import flash_by_place, form_errors
from aftercare.livelihoods import outcomes as livelihood_outcomes
from aftercare.risk import services as risk_services

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


def case_action(section: Section | None):
    """POST only: fetch the case through `access_case` for a change to `section` (404 for a case
    the actor may not know about, 403 for a role or a partner that may not change it)."""

    def decorate(view):
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request, survivor_id, *args, **kwargs):
            case = access_case(request.actor, survivor_id, section=section, write=True)
            require(request.actor, Action.EDIT_CASE)
            return view(request, case.survivor, *args, **kwargs)

        return wrapper

    return decorate


def back_to(survivor, section: str):
    return redirect(reverse("cases:detail", args=[survivor.pk]) + f"#{section}")


@login_required
def case_list(request):
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
        base, actor, assigned_to=worker or ("mine" if scope == "mine" and not team else ""), team=team
    )
    order = request.GET.get("order", "")
    risk_level = request.GET.get("risk_level", "")
    if risk_level in RISK_LEVEL_FILTERS:
        base = base.at_risk_level(risk_level)
    cases = risk_services.annotate_caseload(base)
    if order in risk_services.CASELOAD_ORDERINGS:
        cases = risk_services.order_caseload(cases, order)
    page = CountingPaginator(cases, CASELOAD_PAGE_SIZE, count_of=base).get_page(request.GET.get("page"))
    page.object_list = with_listed_names(actor, page.object_list)
    if not query:  # a search was recorded by the search itself, with what matched and how
        record(actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(page.object_list)} cases")
    context = {
        "page": page, "query": query, "status": status, "statuses": CaseStatus.choices, "order": order,
        "risk_level": risk_level, "can_create": can(actor, Action.CREATE_CASE), "held": held,
        "open_status": services.OPEN,
        "scope": "all" if (worker or team) else scope, "worker": worker, "team": team,
        "organisation_id": actor.organisation_id, "can_see_workload": can(actor, Action.VIEW_WORKLOAD),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_rows.html", context)
    context.update(assignment.filter_choices(actor))
    # The count of open cases, as the dashboard and the reports count them, and what it counts.
    context.update(open_count=counting.open_cases(actor).count(), open_definition=counting.definition(),
                   open_as_of=timezone.now())
    return render(request, "cases/list.html", context)


@require_safe
@login_required
def case_detail(request, survivor_id):
    case = access_case(request.actor, survivor_id)
    return render(request, "cases/detail.html", {**page.case_page_context(case), "flash": flash_by_place(request, (anchor for anchor, _label in case.nav))})


@require_safe
@login_required
def risk_panel(request, survivor_id):
    """The risk and wellbeing panels of the case page, read only when she opens them (htmx),
    so the page's own cost does not carry their assessments, alerts and measures. The case comes
    through `access_case` for the risk section: a partner it was not shared with is refused here
    as on the page."""
    case = access_case(request.actor, survivor_id, section=Section.RISK)
    require(request.actor, Action.VIEW_RISK)  # as on the risk page; the case page offers it to these roles only
    context = {**risk_services.case_risk_context(case), **risk_services.case_wellbeing_context(case)}
    return _panel(request, case, "cases/_risk_panel.html", context)


@require_safe
@login_required
def livelihood_panel(request, survivor_id):
    """The livelihood panel of the case page, read only when opened (htmx); the holder's alone,
    as the section is never shared."""
    case = access_case(request.actor, survivor_id, section=Section.LIVELIHOOD)
    require(request.actor, Action.VIEW_LIVELIHOODS)
    return _panel(request, case, "cases/_livelihood_panel.html", livelihood_outcomes.case_livelihood_context(case))


@require_safe
@login_required
def history_panel(request, survivor_id):
    """The status changes and, for whoever may read it, the audit trail of the case, read when
    the History section is opened (htmx) rather than with every view of the page."""
    case = access_case(request.actor, survivor_id, section=Section.HISTORY)
    return _panel(request, case, "cases/_history_panel.html", page.history_context(case))


def _panel(request, case, fragment: str, context: dict):
    """An htmx request gets the panel alone, to swap into the case page; a browser without
    JavaScript follows the link and gets it on a page of its own."""
    context = {**context, "survivor": case.survivor, "fragment": fragment}
    return render(request, fragment if request.headers.get("HX-Request") else "cases/panel.html", context)


@login_required
def intake(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    form = SurvivorForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        # First the check, nothing saved; the worker then opens the existing case or says
        # she is a different person, and the same form comes back with confirm_new.
        confirm_new = request.POST.get("confirm_new") == "1"
        try:
            survivor, _possible = services.intake_survivor(actor, form.cleaned_data, confirm_new=confirm_new)
        except services.PossibleDuplicateFound as exc:
            matches = exc.matches
            record(actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(matches.own)} possible matches")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": survivor.case_code})
            return redirect("cases:detail", survivor_id=survivor.pk)
    return render(request, "cases/intake.html", {"form": form, "matches": matches})


@login_required
def merge(request, survivor_id):
    """A supervisor merges another record of the same person into this case (cases.merge)."""
    actor = request.actor
    case = access_case(actor, survivor_id, write=True)
    case.require_holder()
    require(actor, Action.MERGE_CASES)
    keep = case.survivor
    candidates = merge_service.possible_duplicates_of(actor, keep)
    form = MergeForm(request.POST or None, candidates=candidates, initial={"version": keep.version})
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"] or merge_service.case_id_by_code(actor, form.cleaned_data["other_code"])
        try:
            merge_service.merge_cases(actor, keep.pk, other, version=form.cleaned_data["version"])
        except Http404:
            form.add_error("other_code", _("Your organisation holds no other case with this code."))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The cases are merged: everything is now in this "
                                        "case, and the other is closed as a duplicate."))
            return back_to(keep, "overview")
    return render(request, "cases/merge.html", {"form": form, "survivor": keep, "case": case})


@login_required
def edit_profile(request, survivor_id):
    actor = request.actor
    survivor = access_case(actor, survivor_id, section=Section.IDENTITY, write=True).survivor
    require(actor, Action.EDIT_CASE)
    form = SurvivorEditForm(request.POST or None, instance=survivor, initial={"version": survivor.version})
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data if f != "version"}
        try:
            services.update_survivor(actor, survivor, data, form.cleaned_data["version"])
        except StaleVersion as exc:
            messages.error(request, exc.message)
            fresh = access_case(actor, survivor_id, section=Section.IDENTITY, write=True, audit=False).survivor
            changed = services.fields_changed_since(fresh, form.cleaned_data["version"])
            labels = [str(form.fields[f].label) for f in changed if f in form.fields] or [_("the status")]
            return render(
                request, "cases/edit.html",
                {"form": SurvivorEditForm(instance=fresh, initial={"version": fresh.version}), "survivor": fresh,
                 "conflict": labels},
                status=409,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Profile saved."))
            return back_to(survivor, "overview")
    return render(request, "cases/edit.html", {"form": form, "survivor": survivor})


def apply_form(request, survivor, form, section: str, operation, done: str):
    """Run one case operation from a posted form; say what happened and go back to the section."""
    if form.is_valid():
        try:
            operation(form.cleaned_data)
            messages.success(request, done, extra_tags=section)
        except DomainError as exc:
            messages.error(request, exc.message, extra_tags=section)
    else:
        form_errors(request, form, section)
    return back_to(survivor, section)


@case_action(None)
def change_status(request, survivor):
    return apply_form(
        request, survivor, StatusForm(request.POST), "overview",
        lambda data: services.update_survivor(
            request.actor, survivor, {"status": data["status"], "closure_reason": data["closure_reason"]}, data["version"]
        ),
        _("Status changed."),
    )


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
                actor, case, to_worker=data["to_worker"], team=data["team"] or None, note=data["note"],
                version=data["version"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Case handed over to %(name)s.") % {"name": assignment.worker_label(handover.to_worker)}
            )
            return back_to(case.survivor, "overview")
    # Refused: the page again with what was typed (the note is not lost) and why, by the form.
    form_errors(request, form)
    context = {**page.case_page_context(case), "reassign_form": form}
    return render(request, "cases/detail.html", context, status=400)


@require_safe
@login_required
def workload(request):
    """Who holds what and how loaded each worker is: the supervisor's own organisation only."""
    actor = request.actor
    require(actor, Action.VIEW_WORKLOAD)
    loads = assignment.workload(actor)
    record(actor, AuditAction.LIST, object_type="cases.survivor", label="caseload by worker")
    return render(request, "cases/workload.html", {"loads": loads, "can_reassign": can(actor, Action.REASSIGN_CASE)})


@case_action(Section.CONSENT)
def add_consent(request, survivor):
    return apply_form(
        request, survivor, ConsentForm(request.POST), "consent",
        lambda data: care.record_consent(request.actor, survivor, **data), _("Consent recorded."),
    )


@case_action(Section.NEEDS)
def assess_needs(request, survivor):
    return apply_form(
        request, survivor, NeedsForm(request.POST), "needs",
        lambda data: care.assess_needs(request.actor, survivor, data), _("Needs assessment saved."),
    )


@case_action(Section.PLAN)
def add_goal(request, survivor):
    return apply_form(
        request, survivor, GoalForm(request.POST), "plan",
        lambda data: care.add_goal(request.actor, survivor, data), _("Goal added to the plan."),
    )


@case_action(Section.PLAN)
def update_goal(request, survivor, goal_id):
    goal = survivor.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return apply_form(
        request, survivor, GoalStatusForm(request.POST), "plan",
        lambda data: care.update_goal(request.actor, goal, {"status": data["status"]}, data["version"]), _("Goal updated."),
    )


@case_action(Section.PLAN)
def add_review(request, survivor):
    return apply_form(
        request, survivor, ReviewForm(request.POST), "plan",
        lambda data: care.review_plan(request.actor, survivor, **data), _("Plan review recorded."),
    )


@case_action(Section.SERVICES)
def add_service(request, survivor):
    return apply_form(
        request, survivor, ServiceForm(request.POST, partners=care.service_organisations(request.actor, survivor)), "services",
        lambda data: care.record_service(request.actor, survivor, data), _("Service recorded."),
    )


@case_action(Section.NOTES)
def add_note(request, survivor):
    return apply_form(
        request, survivor, NoteForm(request.POST), "notes",
        lambda data: care.write_note(request.actor, survivor, **data), _("Note saved."),
    )


@case_action(Section.DOCUMENTS)
def add_document(request, survivor):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > care.MAX_DOCUMENT_BYTES:
            messages.error(request, _("The file is larger than 10 MB."), extra_tags="documents")
            return back_to(survivor, "documents")
        try:
            care.upload_document(
                request.actor, survivor, kind=form.cleaned_data["kind"], filename=upload.name, content=upload.read()
            )
            messages.success(request, _("Document stored, encrypted."), extra_tags="documents")
        except DomainError as exc:
            messages.error(request, exc.message, extra_tags="documents")
    else:
        form_errors(request, form, "documents")
    return back_to(survivor, "documents")


@require_safe
@login_required
def download_document(request, survivor_id, document_id):
    survivor = access_case(request.actor, survivor_id, section=Section.DOCUMENTS).survivor
    document = survivor.documents.filter(pk=document_id, organisation_id=request.actor.organisation_id).first()
    if document is None:
        raise Http404
    content = care.read_document(request.actor, document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{survivor.case_code}-{document.kind}"'
    response["Cache-Control"] = "no-store"
    return response


@case_action(Section.LEGAL)
def save_legal(request, survivor, legal_id=None):
    legal = survivor.legal_cases.filter(pk=legal_id).first() if legal_id else None
    if legal_id and legal is None:
        raise Http404
    form = LegalForm(request.POST)  # no instance: validation must not change the record before the service does
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            care.save_legal_case(request.actor, survivor, data, legal, form.cleaned_data.get("version"))
            messages.success(request, _("Court case saved."))
        except StaleVersion as exc:
            messages.error(request, exc.message)
    else:
        form_errors(request, form)
    return back_to(survivor, "legal")
