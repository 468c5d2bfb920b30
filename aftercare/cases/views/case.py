"""Case pages. Thin: parse the form, call cases.services or cases.care, render or redirect.

The case page itself, its panels, the caseload and merging are composed with the other
domains' sections in `aftercare.casefile`; these are the forms that change the case file."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts.policy import Action, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import assignment, care, services
from aftercare.cases.access import Section, access_case
from aftercare.cases.forms import (
    ConsentForm,
    DocumentForm,
    GoalForm,
    GoalStatusForm,
    LegalForm,
    NeedsForm,
    NoteForm,
    ReviewForm,
    ServiceForm,
    StatusForm,
    SurvivorEditForm,
    SurvivorForm,
)
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.submit import form_errors


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
            survivor, _possible = services.intake_survivor(
                actor, form.cleaned_data, confirm_new=confirm_new
            )
        except services.PossibleDuplicateFound as exc:
            matches = exc.matches
            record(
                actor,
                AuditAction.LIST,
                object_type="cases.survivor",
                label=f"{len(matches.own)} possible matches",
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": survivor.case_code})
            return redirect("cases:detail", survivor_id=survivor.pk)
    return render(request, "cases/intake.html", {"form": form, "matches": matches})


@login_required
def edit_profile(request, survivor_id):
    actor = request.actor
    survivor = access_case(actor, survivor_id, section=Section.IDENTITY, write=True).survivor
    require(actor, Action.EDIT_CASE)
    form = SurvivorEditForm(
        request.POST or None, instance=survivor, initial={"version": survivor.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data if f != "version"}
        try:
            services.update_survivor(actor, survivor, data, form.cleaned_data["version"])
        except StaleVersion as exc:
            messages.error(request, exc.message)
            fresh = access_case(
                actor, survivor_id, section=Section.IDENTITY, write=True, audit=False
            ).survivor
            changed = services.fields_changed_since(fresh, form.cleaned_data["version"])
            labels = [str(form.fields[f].label) for f in changed if f in form.fields] or [
                _("the status")
            ]
            return render(
                request,
                "cases/edit.html",
                {
                    "form": SurvivorEditForm(instance=fresh, initial={"version": fresh.version}),
                    "survivor": fresh,
                    "conflict": labels,
                },
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
        request,
        survivor,
        StatusForm(request.POST),
        "overview",
        lambda data: services.update_survivor(
            request.actor,
            survivor,
            {"status": data["status"], "closure_reason": data["closure_reason"]},
            data["version"],
        ),
        _("Status changed."),
    )


@require_safe
@login_required
def workload(request):
    """Who holds what and how loaded each worker is: the supervisor's own organisation only."""
    actor = request.actor
    require(actor, Action.VIEW_WORKLOAD)
    loads = assignment.workload(actor)
    record(actor, AuditAction.LIST, object_type="cases.survivor", label="caseload by worker")
    return render(
        request,
        "cases/workload.html",
        {"loads": loads, "can_reassign": can(actor, Action.REASSIGN_CASE)},
    )


@case_action(Section.CONSENT)
def add_consent(request, survivor):
    return apply_form(
        request,
        survivor,
        ConsentForm(request.POST),
        "consent",
        lambda data: care.record_consent(request.actor, survivor, **data),
        _("Consent recorded."),
    )


@case_action(Section.NEEDS)
def assess_needs(request, survivor):
    return apply_form(
        request,
        survivor,
        NeedsForm(request.POST),
        "needs",
        lambda data: care.assess_needs(request.actor, survivor, data),
        _("Needs assessment saved."),
    )


@case_action(Section.PLAN)
def add_goal(request, survivor):
    return apply_form(
        request,
        survivor,
        GoalForm(request.POST),
        "plan",
        lambda data: care.add_goal(request.actor, survivor, data),
        _("Goal added to the plan."),
    )


@case_action(Section.PLAN)
def update_goal(request, survivor, goal_id):
    goal = survivor.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return apply_form(
        request,
        survivor,
        GoalStatusForm(request.POST),
        "plan",
        lambda data: care.update_goal(
            request.actor, goal, {"status": data["status"]}, data["version"]
        ),
        _("Goal updated."),
    )


@case_action(Section.PLAN)
def add_review(request, survivor):
    return apply_form(
        request,
        survivor,
        ReviewForm(request.POST),
        "plan",
        lambda data: care.review_plan(request.actor, survivor, **data),
        _("Plan review recorded."),
    )


@case_action(Section.SERVICES)
def add_service(request, survivor):
    return apply_form(
        request,
        survivor,
        ServiceForm(request.POST, partners=care.service_organisations(request.actor, survivor)),
        "services",
        lambda data: care.record_service(request.actor, survivor, data),
        _("Service recorded."),
    )


@case_action(Section.NOTES)
def add_note(request, survivor):
    return apply_form(
        request,
        survivor,
        NoteForm(request.POST),
        "notes",
        lambda data: care.write_note(request.actor, survivor, **data),
        _("Note saved."),
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
                request.actor,
                survivor,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
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
    document = survivor.documents.filter(
        pk=document_id, organisation_id=request.actor.organisation_id
    ).first()
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
    form = LegalForm(
        request.POST
    )  # no instance: validation must not change the record before the service does
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            care.save_legal_case(
                request.actor, survivor, data, legal, form.cleaned_data.get("version")
            )
            messages.success(request, _("Court case saved."))
        except StaleVersion as exc:
            messages.error(request, exc.message)
    else:
        form_errors(request, form)
    return back_to(survivor, "legal")
