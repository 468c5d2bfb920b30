"""What the case file itself contributes to the composed pages (`aftercare.casefile`): its
sections of the case page, its History panel, the caseload on the dashboard, and the case
work of the work queue (care-plan reviews), with the one rule of whose cases are "mine".

Only the sections this caller sees are read at all, so what is not shared is never loaded,
let alone rendered; the template shows what it receives and decides nothing. Each section is
read once, with its joins, so the page costs the same whatever the case holds. Every function
takes the `CaseAccess` that `cases.access.access_case` computed once, or the actor.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditEvent
from aftercare.cases import assignment, care, counting, merge, services
from aftercare.cases.access import CaseAccess, Section, with_listed_names
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
from aftercare.cases.models import CaseStatus, ConsentPurpose, NeedItem, Survivor
from aftercare.cases.models.survivor import open_q
from aftercare.cases.services import IDENTIFIER_FIELDS, OPEN
from aftercare.core.work_items import LIMIT, WorkItem
from aftercare.network.taxonomy import ServiceDomain

PLAN_REVIEW_AHEAD_DAYS = 14  # a review is listed two weeks before it is due


# The case page -------------------------------------------------------------------------------


def case_page(case: CaseAccess) -> dict:
    """The case file's own sections of the case page: identity, status, consent, needs, plan,
    services, notes, documents, legal. The forms that change them are not built here: each is
    read when its section is opened (the forms below), so the page carries none of their
    widgets, nor the organisations they offer (issue 18). The handover form stays: it is the
    holder's alone, and a refused handover shows it again with what was typed."""
    actor, survivor = case.actor, case.survivor
    context = {
        "case": case,
        "survivor": survivor,
        "show": case.sections,
        "owner": case.is_owner,
        "sections": case.nav,
        "can_edit": case.may_edit,
        "can_contribute": case.may_contribute,
        "display_name": case.display_name,
        "identity": survivor if case.sees(Section.IDENTITY) else None,
        "status_choices": []
        if survivor.merged_into_id
        else [
            (s, label)
            for s, label in CaseStatus.choices
            if s in services.TRANSITIONS[survivor.status]
        ],
    }
    if case.is_owner:
        # Who is responsible, and the last handover's note for the worker who took the case over.
        context["handover"] = assignment.latest_handover(case)
        if assignment.may_reassign(actor, survivor):
            context["reassign_form"] = ReassignForm(
                initial={"version": survivor.version, "team": survivor.team_id or ""},
                **assignment.form_choices(actor),
            )
    if case.sees(Section.CONSENT):
        context.update(_consent_panel(survivor))
    if case.sees(Section.NEEDS):
        panel = _needs_panel(survivor)
        panel.pop("current")  # the needs form's, read when it is opened (needs_form)
        context.update(panel)
    if case.sees(Section.PLAN):
        context["goals"] = list(survivor.goals.select_related("responsible_organisation"))
        context["reviews"] = list(survivor.plan_reviews.select_related("reviewed_by")[:10])
    if case.sees(Section.SERVICES):
        context["services_delivered"] = list(
            survivor.services.select_related("organisation", "duty_bearer")[:50]
        )
    if case.sees(Section.NOTES):
        context["notes"] = list(care.notes_visible_to(actor, survivor)[:50])
    if case.sees(Section.DOCUMENTS):
        context["documents"] = list(
            survivor.documents.defer("content").filter(organisation_id=actor.organisation_id)
        )
    if case.sees(Section.LEGAL):
        context["legal_cases"] = list(survivor.legal_cases.select_related("prosecutor_office"))
    return context


HISTORY_PANEL = Section.HISTORY  # the section `access_case` checks before the panel is read


def history_panel(case: CaseAccess) -> tuple[str, dict]:
    """The History panel: the status changes, and the case's audit trail for whoever may read it.
    Read by its own request when opened, not with the page (issue 18)."""
    context = {
        "status_changes": list(case.survivor.status_changes.select_related("changed_by")[:20])
    }
    if can(case.actor, Action.VIEW_CASE_AUDIT):
        context["audit_events"] = list(case_audit_trail(case)[:30])
    return "cases/_history_panel.html", context


def case_audit_trail(case: CaseAccess):
    """The trail of one case: the holder's supervisor sees every organisation's reads and
    changes of it, a partner only its own organisation's."""
    if not can(case.actor, Action.VIEW_CASE_AUDIT):
        return AuditEvent.objects.none()
    own = Q(organisation_id=case.actor.organisation_id)
    # Its own trail and, for the holder, those of the duplicates merged into it (cases.merge).
    ids = merge.trail_case_ids(case.survivor) if case.is_owner else [case.survivor.pk]
    this_case = Q(case_id__in=ids) | Q(
        object_id__in=[str(pk) for pk in ids]
    )  # older rows carry no case_id
    return AuditEvent.objects.filter(this_case if case.is_owner else this_case & own)


# The case page's forms, each read when its section is opened -----------------------------------
# Each takes the `CaseAccess` of the section it changes, fetched with the write rule of the form's
# own POST (`casefile.forms_on_open`), and returns (template, context); the template is the form
# as the case page showed it, posting where it always posted.


def status_form(case: CaseAccess) -> tuple[str, dict]:
    survivor = case.survivor
    form = StatusForm(
        initial={"version": survivor.version}, allowed=services.TRANSITIONS[survivor.status]
    )
    return "cases/forms/_status.html", {"status_form": form}


def consent_form(case: CaseAccess) -> tuple[str, dict]:
    partners = care.partner_organisations(case.survivor, case.actor.organisation)
    return "cases/forms/_consent.html", {"consent_form": ConsentForm(partners=partners)}


def needs_form(case: CaseAccess) -> tuple[str, dict]:
    """Prefilled with the current assessment, as the page showed it."""
    current = _needs_panel(case.survivor)["current"]
    return "cases/forms/_needs.html", {"needs_form": NeedsForm(current=current)}


def goal_form(case: CaseAccess) -> tuple[str, dict]:
    partners = care.partner_organisations(case.survivor, case.actor.organisation)
    return "cases/forms/_goal.html", {"goal_form": GoalForm(partners=partners)}


def review_form(case: CaseAccess) -> tuple[str, dict]:
    return "cases/forms/_review.html", {"review_form": ReviewForm()}


def service_form(case: CaseAccess) -> tuple[str, dict]:
    """A service is recorded for one's own organisation or a partner by accepted referral only:
    the organisations its POST accepts."""
    actor = case.actor
    form = ServiceForm(
        initial={"organisation": actor.organisation},
        partners=care.service_organisations(actor, case.survivor),
    )
    return "cases/forms/_service.html", {"service_form": form}


def note_form(case: CaseAccess) -> tuple[str, dict]:
    return "cases/forms/_note.html", {"note_form": NoteForm()}


def document_form(case: CaseAccess) -> tuple[str, dict]:
    return "cases/forms/_document.html", {"document_form": DocumentForm()}


def legal_form(case: CaseAccess) -> tuple[str, dict]:
    """The prosecutors' offices are the form's own choices (`LegalForm`)."""
    return "cases/forms/_legal.html", {"legal_form": LegalForm()}


def _consent_panel(survivor) -> dict:
    history = list(
        survivor.consents.select_related("organisation", "recorded_by").order_by(
            "-recorded_at", "-id"
        )
    )
    latest: dict = {}
    for consent in history:
        latest.setdefault((consent.purpose, consent.organisation_id), consent)
    return {
        "consent_rows": [
            {"purpose": label, "code": code, "decision": latest.get((code, None))}
            for code, label in ConsentPurpose.choices
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
        .annotate(
            count=Subquery(
                assessments.order_by().values("survivor_id").annotate(n=Count("pk")).values("n")
            )
        )
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
        "needs": [
            {"code": code, "label": label, "level": current.get(code, "")}
            for code, label in ServiceDomain.choices
        ],
        "needs_assessed_at": assessed_at,
        "needs_count": count,
    }


# The dashboard -------------------------------------------------------------------------------


def dashboard(actor: Actor) -> dict:
    """The caseload on the dashboard, for whoever may see cases: the organisation's own cases,
    as the case list (held by your organisation) and the reports count them; the open count is
    the one definition, said in words on the page."""
    if not can(actor, Action.VIEW_CASES):
        return {"can_view_cases": False}
    held = Survivor.objects.owned_by(actor).counted()
    # COUNT(*), not COUNT(id): PostgreSQL answers it from the (organisation, status) index
    # alone (an index-only scan) instead of visiting every case's row.
    by_status = dict(held.values_list("status").annotate(n=Count("*")).order_by())
    return {
        "can_view_cases": True,
        "status_counts": [
            {"status": status, "label": status.label, "count": by_status.get(status.value, 0)}
            for status in CaseStatus
        ],
        "open_cases": counting.open_cases(actor).count(),
        "open_status": OPEN,
        "open_definition": counting.definition(),
        "open_as_of": timezone.now(),
        # Without the encrypted identifiers; the first names shown are read for these rows alone.
        "recent_cases": with_listed_names(
            actor,
            Survivor.objects.visible_to(actor)
            .select_related("region")
            .defer(*IDENTIFIER_FIELDS)[:8],
        ),
    }


# The work queue ------------------------------------------------------------------------------


def narrow_to_mine(actor: Actor, rows: QuerySet, via: str = "") -> QuerySet:
    """Keep the rows about cases that are the actor's to work on; `via` is the path from a row
    to its case ("" for cases themselves, "survivor__" for records of a case).

    The one place that says whose cases are "mine": cases the actor's organisation holds (a
    shared case is followed up by the organisation holding it); for a case worker, those she is
    responsible for and those nobody is responsible for yet (so that no follow-up falls between
    two workers before a supervisor hands the case out). Supervisors and admins see the whole
    organisation's."""
    rows = rows.filter(**{f"{via}organisation_id": actor.organisation_id})
    if actor.role == Role.CASE_WORKER:
        rows = rows.filter(
            Q(**{f"{via}assigned_worker_id": actor.user.pk})
            | Q(**{f"{via}assigned_worker__isnull": True})
        )
    return rows


def open_and_mine(actor: Actor, rows: QuerySet, via: str = "") -> QuerySet:
    """`narrow_to_mine`, for open cases only (`cases.models.survivor.open_q`): no work waits on
    a closed case."""
    return narrow_to_mine(actor, rows, via).filter(open_q(via))


def case_url(survivor_id, section: str = "") -> str:
    return reverse("cases:detail", args=[survivor_id]) + (f"#{section}" if section else "")


def plan_reviews(actor: Actor) -> list[WorkItem]:
    """Care plans (open cases with at least one goal) whose review is due within two weeks or
    overdue: 90 days after the last review, or after the first goal when never reviewed. Read
    from the date kept on the case (`cases.plan_review`) by its index, soonest first, as the
    risk follow-ups are: the organisation's goals and reviews are not aggregated (issue 18)."""
    if not can(actor, Action.EDIT_CASE):
        return []
    horizon = timezone.localdate() + timedelta(days=PLAN_REVIEW_AHEAD_DAYS)
    cases = (
        open_and_mine(actor, Survivor.objects.all())
        .filter(plan_review_due__lte=horizon)
        .order_by("plan_review_due", "case_code")
        .values_list("pk", "case_code", "plan_review_due")[:LIMIT]
    )
    return [
        WorkItem(
            kind="plan_review",
            title=_("Care plan review"),
            detail=code,
            survivor=pk,
            due=due,
            url=case_url(pk, "plan"),
        )
        for pk, code, due in cases
    ]
