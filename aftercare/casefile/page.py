"""The case page: it asks each domain for its sections, given the `CaseAccess` computed once.

`SECTIONS` is the page, in order: each domain's `case_page(case)` returns its part of the
context (nothing for a section this caller does not see, so what is not shared is never
read). `PANELS` are the sections read by their own request when opened (htmx): each names the
section `access_case` checks and the function that returns its template and context. `FORMS`
are the forms that change the case, each read when its disclosure is opened
(`casefile.forms_on_open`): the section its POST changes, the function that builds it, and
its title for the page a browser without JavaScript shows it on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.cases import sections as cases
from aftercare.cases.access import CaseAccess, Section
from aftercare.livelihoods import sections as livelihoods
from aftercare.mentoring import sections as mentoring
from aftercare.referrals import sections as referrals
from aftercare.risk import sections as risk

SECTIONS: list[Callable[[CaseAccess], dict]] = [
    cases.case_page,
    mentoring.case_page,  # her mentors, in the care plan
    risk.case_page,
    livelihoods.case_page,
    referrals.case_page,
]

PANELS: dict[str, tuple[Section, Callable[[CaseAccess], tuple[str, dict]]]] = {
    "risk": (risk.PANEL, risk.case_panel),
    "livelihood": (livelihoods.PANEL, livelihoods.case_panel),
    "history": (cases.HISTORY_PANEL, cases.history_panel),
}


class CaseForm(NamedTuple):
    section: Section | None  # the section its POST changes (None: the case itself, its status)
    read: Callable[[CaseAccess], tuple[str, dict]]
    title: Promise


FORMS: dict[str, CaseForm] = {
    "status": CaseForm(None, cases.status_form, _("Change status")),
    "goal": CaseForm(Section.PLAN, cases.goal_form, _("Add a goal")),
    "review": CaseForm(Section.PLAN, cases.review_form, _("Record a review")),
    "needs": CaseForm(Section.NEEDS, cases.needs_form, _("New needs assessment")),
    "service": CaseForm(Section.SERVICES, cases.service_form, _("Record a service")),
    "note": CaseForm(Section.NOTES, cases.note_form, _("Write a note")),
    "legal": CaseForm(Section.LEGAL, cases.legal_form, _("Record a court case")),
    "document": CaseForm(Section.DOCUMENTS, cases.document_form, _("Upload a document")),
    "consent": CaseForm(Section.CONSENT, cases.consent_form, _("Record a consent decision")),
}


def case_page_context(case: CaseAccess) -> dict:
    context = {}
    for section in SECTIONS:
        context.update(section(case))
    # Merging is the case file's own: it moves the records of every domain (casefile.merge).
    context["can_merge"] = (
        case.may_edit and can(case.actor, Action.MERGE_CASES) and not case.survivor.merged_into_id
    )
    return context
