"""The case page: it asks each domain for its panel, given the `CaseAccess` computed once.

Only the panels of the sections this caller sees are read at all, so what is not shared is
never loaded, let alone rendered; the template shows what it receives and decides nothing.
Each panel is read once, with its joins, so the page costs the same whatever the case holds.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Q, Subquery
from django.utils import translation

from aftercare.audit.models import AuditEvent
from aftercare.cases import assignment, care, merge, services
from aftercare.cases.access import CaseAccess, Section
from aftercare.cases.forms import (
    ConsentForm,
    DocumentForm,
    GoalForm,
    LegalForm,
    NeedsForm,
    NoteForm,
    ReassignForm,
    ReviewForm,
    ServiceForm,
    StatusForm,
)
from aftercare.cases.models import CaseStatus, ConsentPurpose, NeedItem
from aftercare.core.policy import Action, can
from aftercare.mentoring import services as mentoring_services
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals import services as referral_services


def case_page_context(case: CaseAccess) -> dict:
    actor, survivor = case.actor, case.survivor
    context = {
        "case": case,
        "survivor": survivor,
        "show": case.sections,
        "owner": case.is_owner,
        "sections": case.nav,
        "can_edit": case.may_edit,
        "display_name": case.display_name,
        "identity": survivor if case.sees(Section.IDENTITY) else None,
        "status_choices": [] if survivor.merged_into_id else
        [(s, label) for s, label in CaseStatus.choices if s in services.TRANSITIONS[survivor.status]],
        # The panels read by their own request when opened: offered only to whoever may read them.
        "risk_panel": case.sees(Section.RISK) and can(actor, Action.VIEW_RISK),
        "livelihood_panel": case.sees(Section.LIVELIHOOD) and can(actor, Action.VIEW_LIVELIHOODS),
        "can_merge": case.may_edit and can(actor, Action.MERGE_CASES) and not survivor.merged_into_id,
    }
    if case.is_owner:
        # Who is responsible, and the last handover's note for the worker who took the case over.
        context["handover"] = assignment.latest_handover(case)
        if assignment.may_reassign(actor, survivor):
            context["reassign_form"] = ReassignForm(
                initial={"version": survivor.version, "team": survivor.team_id or ""}, **assignment.form_choices(actor)
            )
    # The organisations the forms offer, and those a service may be recorded for: one read.
    partners, providers, prosecutors = (
        care.form_organisations(actor, survivor, prosecutors=case.may_edit) if case.may_contribute else ([], [], [])
    )
    current_needs: dict[str, str] = {}
    if case.sees(Section.CONSENT):
        context.update(_consent_panel(survivor))
    if case.sees(Section.NEEDS):
        panel = _needs_panel(survivor)
        current_needs = panel.pop("current")
        context.update(panel)
    if case.sees(Section.PLAN):
        context["goals"] = list(survivor.goals.select_related("responsible_organisation"))
        context["reviews"] = list(survivor.plan_reviews.select_related("reviewed_by")[:10])
        if case.is_owner:  # mentoring is the holder's alone, shared with no partner
            context["mentor_matches"] = mentoring_services.current_matches(survivor)
    if case.sees(Section.SERVICES):
        context["services_delivered"] = list(survivor.services.select_related("organisation", "duty_bearer")[:50])
    if case.sees(Section.NOTES):
        context["notes"] = list(care.notes_visible_to(actor, survivor)[:50])
    if case.sees(Section.DOCUMENTS):
        context["documents"] = list(survivor.documents.defer("content").filter(organisation_id=actor.organisation_id))
    if case.sees(Section.LEGAL):
        context["legal_cases"] = list(survivor.legal_cases.select_related("prosecutor_office"))
    if case.may_contribute:
        # A service is recorded for one's own organisation or a partner by accepted referral only.
        context.update(service_form=_partner_choices(ServiceForm(initial={"organisation": actor.organisation}), providers),
                       note_form=NoteForm())
    if case.may_edit:
        context.update(
            consent_form=_partner_choices(ConsentForm(), partners), needs_form=NeedsForm(current=current_needs),
            goal_form=_partner_choices(GoalForm(), partners), review_form=ReviewForm(),
            document_form=DocumentForm(), legal_form=_prosecutor_choices(LegalForm(), prosecutors),
            status_form=StatusForm(initial={"version": survivor.version}, allowed=services.TRANSITIONS[survivor.status]),
        )
    for name in FRAGMENT_FORMS:
        if name in context:
            context[name].fragment_key = fragment_key(context[name])
    context.update(referral_services.case_referral_context(case))
    return context


# The blank forms of the case page whose fields the template renders once and then serves from
# the fragment cache (issue 18): about 50 widgets, each a template render, were most of the
# page's cost. Each key says everything the fields' HTML depends on (see `fragment_key`).
FRAGMENT_FORMS = ("service_form", "note_form", "consent_form", "needs_form", "goal_form", "review_form",
                  "document_form", "legal_form")


def fragment_key(form) -> str:
    """What an unbound form's fields render from: its class, the language, and each field's
    value (initial, e.g. today's date or the current needs) and offered choices (the case's
    partners). Labels and widgets come from the class. A bound form (with errors) is never cached."""
    if form.is_bound:
        raise ValueError("only a blank form's fields are cached")
    parts: list = [type(form).__qualname__, translation.get_language()]
    for field in form:
        choices = getattr(field.field, "_choices", None)
        parts.append((field.name, field.value(), [str(c[0]) for c in choices] if isinstance(choices, list) else None))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def history_context(case: CaseAccess) -> dict:
    """The History panel: the status changes, and the case's audit trail for whoever may read it.
    Read by its own request when opened, not with the page (issue 18)."""
    context = {"status_changes": list(case.survivor.status_changes.select_related("changed_by")[:20])}
    if can(case.actor, Action.VIEW_CASE_AUDIT):
        context["audit_events"] = list(case_audit_trail(case)[:30])
    return context


def case_audit_trail(case: CaseAccess):
    """The trail of one case: the holder's supervisor sees every organisation's reads and
    changes of it, a partner only its own organisation's."""
    if not can(case.actor, Action.VIEW_CASE_AUDIT):
        return AuditEvent.objects.none()
    own = Q(organisation_id=case.actor.organisation_id)
    # Its own trail and, for the holder, those of the duplicates merged into it (cases.merge).
    ids = merge.trail_case_ids(case.survivor) if case.is_owner else [case.survivor.pk]
    this_case = Q(case_id__in=ids) | Q(object_id__in=[str(pk) for pk in ids])  # older rows carry no case_id
    return AuditEvent.objects.filter(this_case if case.is_owner else this_case & own)


def _partner_choices(form, partners: list):
    """Offer the organisations read once for the page, instead of one query per form."""
    for name in form.partner_fields:
        field = form.fields[name]
        field.choices = [("", field.empty_label or "---------"), *((org.pk, str(org)) for org in partners)]
    return form


def _prosecutor_choices(form, offices: list):
    """The prosecutors' offices read with the page's other organisations, not by the form."""
    field = form.fields["prosecutor_office"]
    field.choices = [("", field.empty_label or "---------"), *((org.pk, str(org)) for org in offices)]
    return form


def _consent_panel(survivor) -> dict:
    history = list(survivor.consents.select_related("organisation", "recorded_by").order_by("-recorded_at", "-id"))
    latest: dict = {}
    for consent in history:
        latest.setdefault((consent.purpose, consent.organisation_id), consent)
    return {
        "consent_rows": [
            {"purpose": label, "code": code, "decision": latest.get((code, None))} for code, label in ConsentPurpose.choices
        ],
        "consent_history": history[:30],
        "org_consents": [c for (purpose, org), c in latest.items() if org is not None],
    }


def _needs_panel(survivor) -> dict:
    # The latest assessment's items, with when it was made and how many there are, in one query;
    # only an assessment without items (or none at all) takes the second read.
    assessments = survivor.needs_assessments.all()
    latest = assessments.order_by("-assessed_at").values("pk")[:1]
    rows = list(
        NeedItem.objects.filter(assessment_id=Subquery(latest))
        .annotate(count=Subquery(assessments.order_by().values("survivor_id").annotate(n=Count("pk")).values("n")))
        .values_list("domain", "level", "assessment__assessed_at", "count")
    )
    if rows:
        current = {domain: level for domain, level, _at, _n in rows}
        assessed_at, count = rows[0][2], rows[0][3]
    else:
        current = {}
        dates = list(assessments.order_by("-assessed_at").values_list("assessed_at", flat=True))
        assessed_at, count = (dates[0] if dates else None), len(dates)
    return {
        "current": current,
        "needs": [{"code": code, "label": label, "level": current.get(code, "")} for code, label in ServiceDomain.choices],
        "needs_assessed_at": assessed_at,
        "needs_count": count,
    }
