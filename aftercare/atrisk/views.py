"""Pages for people at risk: the list, registering one, and her page (training, jobs, housing,
household support, consent). Thin: services decide who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from aftercare.accounts.policy import Action, can, require
from aftercare.atrisk import access, services
from aftercare.atrisk.forms import (
    BeneficiaryForm,
    CompleteTrainingForm,
    ConsentForm,
    HouseholdForm,
    HousingForm,
    JobForm,
    ProfileForm,
    TrainingForm,
)
from aftercare.core.errors import DomainError
from aftercare.core.submit import form_errors, record_forms
from aftercare.livelihoods.models import Household

PAGE_SIZE = 50


def _households(actor):
    return (
        Household.objects.filter(organisation_id=actor.organisation_id)
        .only("pk", "code")
        .order_by("code")
    )


def _back(beneficiary) -> str:
    return reverse("atrisk:detail", args=[beneficiary.pk])


@require_safe
@login_required
def beneficiary_list(request):
    actor = request.actor
    rows = access.beneficiaries(actor).defer("given_name").order_by("-created_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "atrisk/list.html", {"page": page, "can_record": can(actor, Action.EDIT_CASE)}
    )


@login_required
def create(request):
    actor = request.actor
    require(actor, Action.EDIT_CASE)
    form = BeneficiaryForm(request.POST or None, households=_households(actor))
    if request.method == "POST":
        if form.is_valid():
            try:
                beneficiary = services.register(actor, form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(code)s registered.") % {"code": beneficiary.code})
                return redirect(_back(beneficiary))
        else:
            form_errors(request, form)
    return render(request, "atrisk/create.html", {"form": form})


@require_safe
@login_required
def detail(request, beneficiary_id):
    actor = request.actor
    beneficiary = access.get_beneficiary(actor, beneficiary_id)
    context = {
        "b": beneficiary,
        **services.detail(beneficiary),
        "can_record": can(actor, Action.EDIT_CASE),
    }
    if context["can_record"]:
        context.update(
            training_form=TrainingForm(auto_id="training-%s"),
            complete_form=CompleteTrainingForm(auto_id=False),
            job_form=JobForm(auto_id="job-%s"),
            housing_form=HousingForm(auto_id="housing-%s"),
            household_form=HouseholdForm(
                auto_id="household-%s",
                households=_households(actor),
                initial={"household": beneficiary.household_id},
            ),
            consent_form=ConsentForm(auto_id="consent-%s"),
        )
    return render(request, "atrisk/detail.html", context)


@login_required
def edit(request, beneficiary_id):
    """Correct her given name, year of birth, gender or region; a stale form is refused, nothing
    lost."""
    actor = request.actor
    beneficiary = access.beneficiary_to_record(actor, beneficiary_id)
    initial = {
        "given_name": beneficiary.given_name,
        "year_of_birth": beneficiary.year_of_birth,
        "gender": beneficiary.gender,
        "region": beneficiary.region_id,
        "version": beneficiary.version,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.update_profile(actor, beneficiary, data, version=version)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Her record was saved."))
                return redirect(_back(beneficiary))
        else:
            form_errors(request, form)
    return render(request, "atrisk/edit.html", {"b": beneficiary, "form": form})


_form = record_forms(access.beneficiary_to_record, _back)


def _households_of(actor, target) -> dict:
    return {"households": _households(actor)}


training = _form(TrainingForm, services.enrol_training, gettext_lazy("Enrolled."))
complete_training = _form(
    CompleteTrainingForm,
    lambda actor, b, enrolment_id, data: services.complete_training(actor, b, enrolment_id, **data),
    gettext_lazy("Course completed."),
)
job = _form(JobForm, services.place_in_job, gettext_lazy("Job recorded."))
housing = _form(HousingForm, services.house, gettext_lazy("Housing recorded."))
household = _form(
    HouseholdForm,
    lambda actor, b, data: services.join_household(actor, b, data["household"]),
    gettext_lazy("Household saved."),
    form_kwargs=_households_of,
)
consent = _form(
    ConsentForm,
    lambda actor, b, data: services.record_consent(
        actor, b, data["purpose"], data["granted"], data["method"], data["given_by"]
    ),
    gettext_lazy("Consent recorded."),
)
