"""A case's livelihood page: jobs and retention, savings, income, earnings, training, school.

Thin: every page fetches the case through `access` (404 for a case the actor may not know
about, 403 for a role or an organisation that may not see or record it) and calls a service.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

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
from aftercare.livelihoods.views.common import submit

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
        survivor=survivor, entries=entries, income_records=survivor.income_records.all()[:36],
        supplies=survivor.school_supplies.all()[:20], protection=survivor.social_protection.all(),
    )
    if context["livelihood"]["can_record"]:
        context.update(
            placement_form=PlacementForm(auto_id="placement-%s"), savings_form=SavingsForm(entries=entries, auto_id="savings-%s"),
            income_form=IncomeForm(auto_id="income-%s"), enrol_form=EnrolForm(auto_id="enrol-%s"),
            school_form=SchoolForm(auto_id="school-%s"), supply_form=SupplyForm(auto_id="supply-%s"),
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


def recording(view):
    """POST only, for those who may record on this case: its holder's case workers and supervisors."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, survivor_id, *args, **kwargs):
        return view(request, access.survivor_to_record(request.actor, survivor_id), *args, **kwargs)

    return wrapper


@recording
def add_placement(request, survivor):
    form = PlacementForm(request.POST)
    return submit(request, form, lambda data: placements.place(request.actor, survivor, data),
                  _("Job placement recorded; its wage was checked and its follow-ups scheduled."), page_url(survivor, "jobs"))


@recording
def end_placement(request, survivor, placement_id):
    placement = placements.get_placement(survivor, placement_id)
    form = PlacementEndForm(request.POST)

    def end(data):
        version = data.pop("version")
        placements.update_placement(request.actor, placement, data, version)

    return submit(request, form, end, _("The job is recorded as ended."), page_url(survivor, "jobs"))


@recording
def record_retention(request, survivor, placement_id, months):
    if months not in RETENTION_MONTHS:
        raise Http404
    placement = placements.get_placement(survivor, placement_id)
    form = RetentionForm(request.POST)
    return submit(request, form, lambda data: placements.record_retention(request.actor, placement, months, **data),
                  _("Follow-up recorded."), page_url(survivor, "jobs"))


@recording
def add_savings_entry(request, survivor):
    form = SavingsForm(request.POST, entries=savings.entries_of(survivor)[:ENTRIES_SHOWN])
    return submit(request, form, lambda data: savings.record_entry(request.actor, survivor, **data),
                  _("Savings entry recorded."), page_url(survivor, "savings"))


@recording
def add_income(request, survivor):
    form = IncomeForm(request.POST)
    return submit(request, form, lambda data: income.record_income(request.actor, survivor, data),
                  _("Income recorded."), page_url(survivor, "income"))


@recording
def enrol(request, survivor):
    form = EnrolForm(request.POST)
    return submit(request, form, lambda data: training.enrol(request.actor, survivor, data["cohort"], enrolled_on=data["enrolled_on"]),
                  _("Enrolled."), page_url(survivor, "training"))


@recording
def mark_attendance(request, survivor, enrolment_id):
    enrolment = training.get_enrolment(survivor, enrolment_id)
    form = AttendanceForm(request.POST)
    return submit(request, form, lambda data: training.mark_attendance(request.actor, enrolment, on=data["date"], present=data["present"]),
                  _("Attendance recorded."), page_url(survivor, "training"))


@recording
def finish_training(request, survivor, enrolment_id):
    enrolment = training.get_enrolment(survivor, enrolment_id)
    form = FinishTrainingForm(request.POST)

    def finish(data):
        version = data.pop("version")
        training.finish(request.actor, enrolment, data, version)

    return submit(request, form, finish, _("Training updated."), page_url(survivor, "training"))


@recording
def enrol_in_school(request, survivor):
    form = SchoolForm(request.POST)
    return submit(request, form, lambda data: education.enrol_in_school(request.actor, survivor, data),
                  _("School enrolment recorded."), page_url(survivor, "school"))


@recording
def update_school(request, survivor, enrolment_id):
    enrolment = education.get_enrolment(survivor, enrolment_id)
    form = SchoolUpdateForm(request.POST)

    def update(data):
        version = data.pop("version")
        education.update_school(request.actor, enrolment, data, version)

    return submit(request, form, update, _("School enrolment updated."), page_url(survivor, "school"))


@recording
def record_term(request, survivor, enrolment_id):
    enrolment = education.get_enrolment(survivor, enrolment_id)
    form = TermForm(request.POST)
    return submit(request, form, lambda data: education.record_term(request.actor, enrolment, data),
                  _("Term attendance recorded."), page_url(survivor, "school"))


@recording
def record_progression(request, survivor, enrolment_id):
    enrolment = education.get_enrolment(survivor, enrolment_id)
    form = ProgressionForm(request.POST)
    return submit(request, form, lambda data: education.record_progression(request.actor, enrolment, data),
                  _("School year recorded."), page_url(survivor, "school"))


@recording
def add_supplies(request, survivor):
    form = SupplyForm(request.POST)
    return submit(request, form, lambda data: education.record_supplies(request.actor, survivor, data),
                  _("School supplies recorded."), page_url(survivor, "school"))


@recording
def add_protection(request, survivor):
    form = ProtectionForm(request.POST)
    return submit(request, form, lambda data: education.record_social_protection(request.actor, survivor, data),
                  _("Social protection recorded."), page_url(survivor, "school"))
