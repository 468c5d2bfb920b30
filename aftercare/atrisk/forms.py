"""Forms for people at risk; the rules (consent, own organisation, dates) live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.atrisk.models import BeneficiaryConsentPurpose, GivenBy, HousingKind
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.livelihoods.models import Cohort, Household, PartnerEmployer
from aftercare.network.models import Region


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class BeneficiaryForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=120)
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("country", "depth", "name"),
    )
    household = forms.ModelChoiceField(
        label=_("Household"), required=False, queryset=Household.objects.none()
    )
    consents_to_enrolment = forms.BooleanField(
        label=_("The person (or their guardian) consents to being enrolled")
    )
    consents_to_data_use = forms.BooleanField(
        label=_("The person (or their guardian) consents to the use of their data in reports"),
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices
    )
    consent_given_by = forms.ChoiceField(label=_("Given by"), choices=GivenBy.choices)

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


class ProfileForm(forms.Form):
    """Correcting her record after registration; `version` is the one read, so a stale save is
    refused."""

    given_name = forms.CharField(label=_("Given name"), max_length=120)
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("country", "depth", "name"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Consent to"), choices=BeneficiaryConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Granted")), ("no", _("Withdrawn"))],
    )
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=GivenBy.choices)


class TrainingForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.filter(programme__is_active=True).select_related("programme"),
    )
    enrolled_on = _date(_("Enrolled on"))


class CompleteTrainingForm(forms.Form):
    completed_on = _date(_("Completed on"))
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=80, required=False
    )


class JobForm(forms.Form):
    employer = forms.ModelChoiceField(
        label=_("Employer"), queryset=PartnerEmployer.objects.filter(is_active=True)
    )
    role = forms.CharField(label=_("Role"), max_length=120)
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"), required=False)


class HousingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Housing"), choices=HousingKind.choices)
    start = _date(_("From"))
    end = _date(_("Until"), required=False)


class HouseholdForm(forms.Form):
    household = forms.ModelChoiceField(
        label=_("Household"), required=False, queryset=Household.objects.none()
    )

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households
