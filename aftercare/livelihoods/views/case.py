"""A case's livelihood page: jobs and retention, savings, income, earnings, training, school.

Thin: every page fetches the case through `access` (404 for a case the actor may not know
about, 403 for a role or an organisation that may not see or record it) and calls a service.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from aftercare.core.submit import form_view, versioned
from aftercare.livelihoods import access, education, income, outcomes, placements, savings, training
from aftercare.livelihoods.forms import (
    AttendanceForm,
    EnrolForm,
    FinishTrainingForm,
    IncomeForm,
    PlacementEndForm,
    PlacementForm,
    ProgressionForm,
    ProtectionForm,
    RetentionForm,
    SavingsForm,
    SchoolForm,
    SchoolUpdateForm,
    SupplyForm,
    TermForm,
)
from aftercare.livelihoods.models import RETENTION_MONTHS

ENTRIES_SHOWN = 50


def page_url(survivor, section: str = "") -> str:
    return reverse("livelihoods:case", args=[survivor.pk]) + (f"#{section}" if section else "")


@require_safe
@login_required
def case(request, survivor_id):
    actor = request.actor
    case = access.case_to_read(actor, survivor_id)
    survivor = case.survivor
    context = outcomes.case_livelihood_context(case)
    entries = list(savings.entries_of(survivor)[:ENTRIES_SHOWN])
    context.update(
        survivor=survivor,
        entries=entries,
        income_records=context["livelihood"]["income_records"],
        supplies=survivor.school_supplies.all()[:20],
        protection=survivor.social_protection.all(),
    )
    if context["livelihood"]["can_record"]:
        context.update(
            placement_form=PlacementForm(auto_id="placement-%s"),
            savings_form=SavingsForm(entries=entries, auto_id="savings-%s"),
            income_form=IncomeForm(auto_id="income-%s"),
            enrol_form=EnrolForm(auto_id="enrol-%s"),
            school_form=SchoolForm(auto_id="school-%s"),
            supply_form=SupplyForm(auto_id="supply-%s"),
            protection_form=ProtectionForm(auto_id="protection-%s"),
        )
        # Forms repeated per row get ids of their own, so each label points at its own field.
        for job in context["livelihood"]["placements"]:
            for follow_up in job.milestones:
                follow_up.form = RetentionForm(auto_id=f"retention-{follow_up.pk}-%s")
        for school in context["livelihood"]["schooling"]:
            school.term_form = TermForm(auto_id=f"term-{school.pk}-%s")
            school.progression_form = ProgressionForm(auto_id=f"progression-{school.pk}-%s")
    return render(request, "livelihoods/case.html", context)


def recording(section: str, part=None):
    """The `fetch` of a form posted on this case: the survivor, for those who may record on it
    (its holder's case workers and supervisors), or `part(survivor, **ids)` of it; then back to
    `section` of the page."""

    def fetch(actor, survivor_id, **ids):
        survivor = access.survivor_to_record(actor, survivor_id)
        return (part(survivor, **ids) if part else survivor), page_url(survivor, section)

    return fetch


def _placement_due(survivor, placement_id, months):
    if months not in RETENTION_MONTHS:
        raise Http404
    return placements.get_placement(survivor, placement_id), months


def _savings_form(actor, survivor) -> dict:
    return {"entries": savings.entries_of(survivor)[:ENTRIES_SHOWN]}


add_placement = form_view(
    recording("jobs"),
    PlacementForm,
    placements.place,
    _("Job placement recorded; its wage was checked and its follow-ups scheduled."),
)
end_placement = form_view(
    recording("jobs", placements.get_placement),
    PlacementEndForm,
    versioned(placements.update_placement),
    _("The job is recorded as ended."),
)
record_retention = form_view(
    recording("jobs", _placement_due),
    RetentionForm,
    lambda actor, due, data: placements.record_retention(actor, *due, **data),
    _("Follow-up recorded."),
)
add_savings_entry = form_view(
    recording("savings"),
    SavingsForm,
    lambda actor, survivor, data: savings.record_entry(actor, survivor, **data),
    _("Savings entry recorded."),
    form_kwargs=_savings_form,
)
add_income = form_view(recording("income"), IncomeForm, income.record_income, _("Income recorded."))
enrol = form_view(
    recording("training"),
    EnrolForm,
    lambda actor, survivor, data: training.enrol(
        actor, survivor, data["cohort"], enrolled_on=data["enrolled_on"]
    ),
    _("Enrolled."),
)
mark_attendance = form_view(
    recording("training", training.get_enrolment),
    AttendanceForm,
    lambda actor, enrolment, data: training.mark_attendance(
        actor, enrolment, on=data["date"], present=data["present"]
    ),
    _("Attendance recorded."),
)
finish_training = form_view(
    recording("training", training.get_enrolment),
    FinishTrainingForm,
    versioned(training.finish),
    _("Training updated."),
)
enrol_in_school = form_view(
    recording("school"), SchoolForm, education.enrol_in_school, _("School enrolment recorded.")
)
update_school = form_view(
    recording("school", education.get_enrolment),
    SchoolUpdateForm,
    versioned(education.update_school),
    _("School enrolment updated."),
)
record_term = form_view(
    recording("school", education.get_enrolment),
    TermForm,
    education.record_term,
    _("Term attendance recorded."),
)
record_progression = form_view(
    recording("school", education.get_enrolment),
    ProgressionForm,
    education.record_progression,
    _("School year recorded."),
)
add_supplies = form_view(
    recording("school"), SupplyForm, education.record_supplies, _("School supplies recorded.")
)
add_protection = form_view(
    recording("school"),
    ProtectionForm,
    education.record_social_protection,
    _("Social protection recorded."),
)
