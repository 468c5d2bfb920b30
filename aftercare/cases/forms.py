from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from aftercare.cases.models import ExploitationType, Survivor
from aftercare.cases.services import EDITABLE_FIELDS
from aftercare.network.models import Region


def _country_choices():
    return [("", _("Not recorded"))] + list(countries)


class SurvivorForm(forms.ModelForm):
    """Intake and profile changes; fields come from the model and services.EDITABLE_FIELDS."""

    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    id_number = forms.CharField(label=_("ID or passport number"), max_length=60, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices, required=False)
    country_of_exploitation = forms.ChoiceField(label=_("Country of exploitation"), choices=_country_choices, required=False)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Type of exploitation"), choices=ExploitationType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("country", "level", "name"), required=False)

    class Meta:
        model = Survivor
        fields = [f for f in EDITABLE_FIELDS if f != "status"]

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Enter a year between 1900 and this year."))
        return year
