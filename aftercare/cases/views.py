"""Case pages. Thin: parse the form, call cases.services or cases.care, render or redirect."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.audit.models import AuditAction, AuditEvent
from aftercare.audit.services import record
from aftercare.cases import care, services
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
from aftercare.cases.models import CaseStatus, ConsentPurpose
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.policy import Action, can, require
from aftercare.livelihoods import outcomes as livelihood_outcomes
from aftercare.network.taxonomy import ServiceDomain
from aftercare.risk import services as risk_services

SECTIONS = [  # lazy: built at import, shown in the reader's language
    ("overview", gettext_lazy("Overview")), ("plan", gettext_lazy("Plan")), ("needs", gettext_lazy("Needs")), ("services", gettext_lazy("Services")),
    ("risk", gettext_lazy("Risk")), ("livelihood", gettext_lazy("Livelihood")), ("referrals", gettext_lazy("Referrals")), ("notes", gettext_lazy("Notes")), ("legal", gettext_lazy("Legal")),
    ("documents", gettext_lazy("Documents")), ("consent", gettext_lazy("Consent")), ("history", gettext_lazy("History")),
]


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


def case_action(view):
    """Fetch the case the actor may see (404 otherwise) and require the right to edit it."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, survivor_id, *args, **kwargs):
        survivor = services.get_survivor(request.actor, survivor_id)
        require(request.actor, Action.EDIT_CASE)
        return view(request, survivor, *args, **kwargs)

    return wrapper


def back_to(survivor, section: str):
    return redirect(reverse("cases:detail", args=[survivor.pk]) + f"#{section}")


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
def case_list(request):
    actor = request.actor
    require(actor, Action.VIEW_CASES)
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    base = services.search_survivors(actor, query, status)
    order = request.GET.get("order", "")
    risk_level = request.GET.get("risk_level", "")
    if risk_level in risk_services.RISK_LEVEL_FILTERS:
        base = risk_services.filter_caseload(base, risk_level)
    cases = risk_services.annotate_caseload(base)
    if order in risk_services.CASELOAD_ORDERINGS:
        cases = risk_services.order_caseload(cases, order)
    page = CountingPaginator(cases, CASELOAD_PAGE_SIZE, count_of=base).get_page(request.GET.get("page"))
    record(actor, AuditAction.LIST, object_type="cases.survivor", label=f"{len(page.object_list)} cases")
    template = "cases/_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request,
        template,
        {
            "page": page, "query": query, "status": status, "statuses": CaseStatus.choices, "order": order,
            "risk_level": risk_level, "can_create": can(actor, Action.CREATE_CASE),
        },
    )


@login_required
def case_detail(request, survivor_id):
    actor = request.actor
    survivor = services.get_survivor(actor, survivor_id)
    show = services.sections_for(actor, survivor)
    owner = survivor.organisation_id == actor.organisation_id
    can_edit = can(actor, Action.EDIT_CASE) and owner and not survivor.anonymised_at
    current_needs = care.current_needs(survivor)
    consents = care.latest_consents(survivor)
    context = {
        "survivor": survivor,
        "show": show,
        "owner": owner,
        "sections": [(code, label) for code, label in SECTIONS if code in show or code in ("overview", "referrals")],
        "can_edit": can_edit,
        "consent_rows": [
            {"purpose": label, "code": code, "decision": consents.get((code, None))} for code, label in ConsentPurpose.choices
        ],
        "consent_history": survivor.consents.select_related("organisation", "recorded_by")[:30],
        "org_consents": [c for (purpose, org), c in consents.items() if org is not None],
        "needs": [
            {"code": code, "label": label, "level": current_needs.get(code, "")}
            for code, label in ServiceDomain.choices
        ],
        "needs_assessed_at": survivor.needs_assessments.values_list("assessed_at", flat=True).first(),
        "needs_count": survivor.needs_assessments.count(),
        "goals": survivor.goals.select_related("responsible_organisation"),
        "reviews": survivor.plan_reviews.select_related("reviewed_by")[:10],
        "services_delivered": survivor.services.select_related("organisation", "duty_bearer")[:50],
        "notes": care.notes_visible_to(actor, survivor)[:50],
        "documents": survivor.documents.defer("content").filter(organisation_id=actor.organisation_id),
        "legal_cases": survivor.legal_cases.select_related("prosecutor_office"),
        "status_changes": survivor.status_changes.select_related("changed_by")[:20],
        "status_choices": [(s, label) for s, label in CaseStatus.choices if s in services.TRANSITIONS[survivor.status]],
    }
    partners = care.partner_organisations(survivor, actor.organisation)
    providers = care.service_organisations(actor, survivor)
    if can(actor, Action.EDIT_CASE) and not owner:
        context.update(service_form=ServiceForm(initial={"organisation": actor.organisation}, partners=providers), note_form=NoteForm())
    if can_edit:
        context.update(
            consent_form=ConsentForm(partners=partners), needs_form=NeedsForm(current=current_needs), goal_form=GoalForm(partners=partners),
            review_form=ReviewForm(), service_form=ServiceForm(initial={"organisation": actor.organisation}, partners=providers),
            note_form=NoteForm(), document_form=DocumentForm(), legal_form=LegalForm(),
            status_form=StatusForm(initial={"version": survivor.version}, allowed=services.TRANSITIONS[survivor.status]),
        )
    if can(actor, Action.VIEW_CASE_AUDIT):
        context["audit_events"] = AuditEvent.objects.visible_to(actor).filter(object_id=str(survivor.pk))[:30]
    if "risk" in show:
        context.update(risk_services.case_risk_context(actor, survivor))
        context.update(risk_services.case_wellbeing_context(actor, survivor))
    if "livelihood" in show:
        context.update(livelihood_outcomes.case_livelihood_context(actor, survivor))
    context.update(_referral_context(actor, survivor))
    return render(request, "cases/detail.html", context)


def _referral_context(actor, survivor) -> dict:
    try:
        from aftercare.referrals import services as referral_services
    except ImportError:
        return {}
    return referral_services.case_referral_context(actor, survivor)


@login_required
def intake(request):
    actor = request.actor
    require(actor, Action.CREATE_CASE)
    form = SurvivorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survivor, possible = services.intake_survivor(actor, form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": survivor.case_code})
            if possible.in_own_organisation:
                messages.warning(request, _("A possible match exists in your organisation. Check before you continue."))
            if possible.elsewhere_in_network:
                messages.warning(request, _("A possible match exists elsewhere in the network. Ask the network coordinator."))
            return redirect("cases:detail", survivor_id=survivor.pk)
    return render(request, "cases/intake.html", {"form": form})


@login_required
def edit_profile(request, survivor_id):
    actor = request.actor
    survivor = services.get_survivor(actor, survivor_id)
    require(actor, Action.EDIT_CASE)
    form = SurvivorEditForm(request.POST or None, instance=survivor, initial={"version": survivor.version})
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data if f != "version"}
        try:
            services.update_survivor(actor, survivor, data, form.cleaned_data["version"])
        except StaleVersion as exc:
            messages.error(request, exc.message)
            fresh = services.get_survivor(actor, survivor_id)
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
            messages.success(request, done)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        form_errors(request, form)
    return back_to(survivor, section)


@case_action
def change_status(request, survivor):
    return apply_form(
        request, survivor, StatusForm(request.POST), "overview",
        lambda data: services.update_survivor(
            request.actor, survivor, {"status": data["status"], "closure_reason": data["closure_reason"]}, data["version"]
        ),
        _("Status changed."),
    )


@case_action
def add_consent(request, survivor):
    return apply_form(
        request, survivor, ConsentForm(request.POST), "consent",
        lambda data: care.record_consent(request.actor, survivor, **data), _("Consent recorded."),
    )


@case_action
def assess_needs(request, survivor):
    return apply_form(
        request, survivor, NeedsForm(request.POST), "needs",
        lambda data: care.assess_needs(request.actor, survivor, data), _("Needs assessment saved."),
    )


@case_action
def add_goal(request, survivor):
    return apply_form(
        request, survivor, GoalForm(request.POST), "plan",
        lambda data: care.add_goal(request.actor, survivor, data), _("Goal added to the plan."),
    )


@case_action
def update_goal(request, survivor, goal_id):
    goal = survivor.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return apply_form(
        request, survivor, GoalStatusForm(request.POST), "plan",
        lambda data: care.update_goal(request.actor, goal, {"status": data["status"]}, data["version"]), _("Goal updated."),
    )


@case_action
def add_review(request, survivor):
    return apply_form(
        request, survivor, ReviewForm(request.POST), "plan",
        lambda data: care.review_plan(request.actor, survivor, **data), _("Plan review recorded."),
    )


@case_action
def add_service(request, survivor):
    return apply_form(
        request, survivor, ServiceForm(request.POST, partners=care.service_organisations(request.actor, survivor)), "services",
        lambda data: care.record_service(request.actor, survivor, data), _("Service recorded."),
    )


@case_action
def add_note(request, survivor):
    return apply_form(
        request, survivor, NoteForm(request.POST), "notes",
        lambda data: care.write_note(request.actor, survivor, **data), _("Note saved."),
    )


@case_action
def add_document(request, survivor):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > care.MAX_DOCUMENT_BYTES:
            messages.error(request, _("The file is larger than 10 MB."))
            return back_to(survivor, "documents")
        try:
            care.upload_document(
                request.actor, survivor, kind=form.cleaned_data["kind"], filename=upload.name, content=upload.read()
            )
            messages.success(request, _("Document stored, encrypted."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        form_errors(request, form)
    return back_to(survivor, "documents")


@login_required
def download_document(request, survivor_id, document_id):
    survivor = services.get_survivor(request.actor, survivor_id)
    document = survivor.documents.filter(pk=document_id, organisation_id=request.actor.organisation_id).first()
    if document is None:
        raise Http404
    content = care.read_document(request.actor, document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{survivor.case_code}-{document.kind}"'
    response["Cache-Control"] = "no-store"
    return response


@case_action
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
