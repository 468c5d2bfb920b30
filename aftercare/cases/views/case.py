"""Case pages. Thin: parse the form, call cases.services or cases.care, render or redirect.

The case page itself, its panels, the caseload and merging are composed with the other
domains' sections in `aftercare.casefile`; these are the forms that change the case file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

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
from aftercare.core.submit import form_view


def case_form(
    section: Section | None,
    anchor: str,
    form_class,
    action,
    success,
    *,
    row=None,
    where: str | None = None,
    **options,
):
    """A POST-only case form over `core.submit.form_view`: the case fetched through
    `access_case` for a change to `section` (404 for a case the actor may not know about, 403
    for a role or a partner that may not change it), the operation run, and back to the case
    page's `anchor`, with the messages shown there (or at `where`).

    With `row(survivor)`, the case's rows of that kind: the address's second id names one (404
    for another case's), and `action` gets `(survivor, row)`; without that id, `(survivor,
    None)`."""

    def fetch(actor, survivor_id, **ids):
        case = access_case(actor, survivor_id, section=section, write=True)
        require(actor, Action.EDIT_CASE)
        survivor = case.survivor
        back = case_page(survivor, anchor)
        if row is None:
            return survivor, back
        row_id = next(iter(ids.values()), None)
        found = row(survivor).filter(pk=row_id).first() if row_id else None
        if row_id and found is None:
            raise Http404
        return (survivor, found), back

    return form_view(
        fetch, form_class, action, success, where=anchor if where is None else where, **options
    )


def case_page(survivor, section: str) -> str:
    return reverse("cases:detail", args=[survivor.pk]) + f"#{section}"


def back_to(survivor, section: str):
    return redirect(case_page(survivor, section))


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


change_status = case_form(
    None,
    "overview",
    StatusForm,
    lambda actor, survivor, data: services.update_survivor(
        actor,
        survivor,
        {"status": data["status"], "closure_reason": data["closure_reason"]},
        data["version"],
    ),
    gettext_lazy("Status changed."),
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


add_consent = case_form(
    Section.CONSENT,
    "consent",
    ConsentForm,
    lambda actor, survivor, data: care.record_consent(actor, survivor, **data),
    gettext_lazy("Consent recorded."),
)
assess_needs = case_form(
    Section.NEEDS, "needs", NeedsForm, care.assess_needs, gettext_lazy("Needs assessment saved.")
)
add_goal = case_form(
    Section.PLAN, "plan", GoalForm, care.add_goal, gettext_lazy("Goal added to the plan.")
)
update_goal = case_form(
    Section.PLAN,
    "plan",
    GoalStatusForm,
    lambda actor, target, data: care.update_goal(
        actor, target[1], {"status": data["status"]}, data["version"]
    ),
    gettext_lazy("Goal updated."),
    row=lambda survivor: survivor.goals,
)
add_review = case_form(
    Section.PLAN,
    "plan",
    ReviewForm,
    lambda actor, survivor, data: care.review_plan(actor, survivor, **data),
    gettext_lazy("Plan review recorded."),
)
add_service = case_form(
    Section.SERVICES,
    "services",
    ServiceForm,
    care.record_service,
    gettext_lazy("Service recorded."),
    form_kwargs=lambda actor, survivor: {"partners": care.service_organisations(actor, survivor)},
)
add_note = case_form(
    Section.NOTES,
    "notes",
    NoteForm,
    lambda actor, survivor, data: care.write_note(actor, survivor, **data),
    gettext_lazy("Note saved."),
)


def _upload(actor, survivor, data) -> None:
    upload = data["file"]
    if upload.size > care.MAX_DOCUMENT_BYTES:  # before the file is read into memory
        raise DomainError(_("The file is larger than 10 MB."), field="file")
    care.upload_document(
        actor, survivor, kind=data["kind"], filename=upload.name, content=upload.read()
    )


add_document = case_form(
    Section.DOCUMENTS,
    "documents",
    DocumentForm,
    _upload,
    gettext_lazy("Document stored, encrypted."),
    files=True,
)


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


def _save_legal(actor, target, data) -> None:
    survivor, legal = target
    fields = {f: data[f] for f in LegalForm.Meta.fields}
    care.save_legal_case(actor, survivor, fields, legal, data.get("version"))


# A court case's messages show at the top of the page, not beside the court cases. The form
# has no instance: validation must not change the record before the service does.
save_legal = case_form(
    Section.LEGAL,
    "legal",
    LegalForm,
    _save_legal,
    gettext_lazy("Court case saved."),
    row=lambda survivor: survivor.legal_cases,
    where="",
)
