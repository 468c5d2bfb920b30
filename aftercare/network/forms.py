"""Directory input: the search filters (page and API alike), the profile and capacity forms."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.zones import zone_choices
from aftercare.core.errors import DomainError
from aftercare.network.languages import language_choices
from aftercare.network.models import OrganisationService, Region
from aftercare.network.search import DirectoryQuery, RegionScope
from aftercare.network.services import (
    CAPACITY_FIELDS,
    PROFILE_FIELDS,
    RESTRICTED_FIELDS,
    check_capacity,
)
from aftercare.network.taxonomy import Population, ServiceDomain


class CommaSeparatedMultipleChoiceField(forms.MultipleChoiceField):
    """`?service=housing,medical` and `?service=housing&service=medical` alike."""

    def to_python(self, value):
        codes = []
        for item in super().to_python([value] if isinstance(value, str) else value):
            codes += [code.strip() for code in item.split(",") if code.strip()]
        return codes


class DirectoryFilterForm(forms.Form):
    """The directory's filters, checked once for the page and the API (400 with field errors)."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    service = CommaSeparatedMultipleChoiceField(
        label=_("Service"), choices=ServiceDomain.choices, required=False
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=120,
        required=False,
        help_text=_("A district, province or country: its code or its name."),
    )
    population = forms.ChoiceField(label=_("Serves"), choices=Population.choices, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    has_capacity = forms.TypedChoiceField(
        label=_("Only with free places now"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=False,
        required=False,
    )

    def clean_region(self) -> RegionScope | None:
        key = self.cleaned_data["region"].strip()
        if not key:
            return None
        scope = RegionScope.find(key)
        if scope is None:
            raise forms.ValidationError(
                _("No single region has the code or name “%(key)s”: choose one from the list."),
                code="unknown_region",
                params={"key": key},
            )
        return scope

    def to_query(self) -> DirectoryQuery:
        data = self.cleaned_data
        return DirectoryQuery(
            services=tuple(dict.fromkeys(data["service"])),
            region=data["region"],
            population=data["population"],
            language=data["language"],
            has_capacity=data["has_capacity"],
            q=data["q"].strip(),
        )


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region):
        return f"{region.name} ({region.get_level_display()}, {region.country})"


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganisationProfileForm(forms.ModelForm):
    """The profile an organisation's admins keep; services are one checkbox and note each."""

    populations = forms.MultipleChoiceField(
        label=_("Populations served"),
        choices=Population.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )
    regions_served = RegionChoiceField(
        label=_("Regions served"),
        queryset=Region.objects.order_by("country", "path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Choose the widest region you serve: serving a province covers its districts."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_(
            "Deadlines and times are shown to your members in this zone. Empty: your country's."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        formfield_callback = _https_urls
        fields = [f for f in PROFILE_FIELDS if f not in ("populations", "languages")]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "street_address": forms.Textarea(attrs={"rows": 3}),
            "restricted_notes": forms.Textarea(attrs={"rows": 3}),
            "restricted_phone": forms.TextInput,
            "restricted_email": forms.EmailInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.instance
        self.fields["region"].label = _("Main office region")
        self.fields["time_zone"].choices = [
            ("", _("The time zone of your country")),
            *zone_choices(),
        ]
        self.fields["region"].queryset = Region.objects.order_by("country", "path")
        self.fields["restricted_email"].validators.append(validate_email)
        offered = (
            {s.domain: s.eligibility_notes for s in organisation.services.all()}
            if organisation.pk
            else {}
        )
        if not self.is_bound:
            self.initial.update(
                populations=organisation.populations,
                languages=organisation.languages,
                regions_served=list(organisation.regions_served.all()) if organisation.pk else [],
                version=organisation.version,
            )
        for domain in ServiceDomain:
            self.fields[f"offers_{domain.value}"] = forms.BooleanField(
                label=domain.label, required=False, initial=domain.value in offered
            )
            self.fields[f"notes_{domain.value}"] = forms.CharField(
                label=_("Who is eligible for %(service)s") % {"service": domain.label},
                required=False,
                initial=offered.get(domain.value, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def public_fields(self):
        return [self[name] for name in self.Meta.fields if name not in RESTRICTED_FIELDS]

    def restricted_fields(self):
        return [self[name] for name in RESTRICTED_FIELDS]

    def service_rows(self):
        return [(self[f"offers_{d.value}"], self[f"notes_{d.value}"]) for d in ServiceDomain]

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def services_offered(self) -> dict[str, str]:
        return {
            d.value: self.cleaned_data[f"notes_{d.value}"].strip()
            for d in ServiceDomain
            if self.cleaned_data[f"offers_{d.value}"]
        }


class CapacityForm(forms.Form):
    """One service's capacity on the capacity page, with the version it was read at."""

    beds_total = forms.IntegerField(label=_("Beds in total"), min_value=0, required=False)
    beds_available = forms.IntegerField(label=_("Beds free"), min_value=0, required=False)
    slots_total = forms.IntegerField(
        label=_("Caseload slots in total"), min_value=0, required=False
    )
    slots_available = forms.IntegerField(
        label=_("Caseload slots free"), min_value=0, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, service: OrganisationService, **kwargs):
        kwargs.setdefault("prefix", service.domain)
        kwargs.setdefault(
            "initial",
            {
                **{f: getattr(service, f) for f in CAPACITY_FIELDS},
                "version": service.capacity_version,
            },
        )
        super().__init__(*args, **kwargs)
        self.service = service
        if not service.has_beds:
            del self.fields["beds_total"], self.fields["beds_available"]

    def clean(self):
        cleaned = super().clean()
        try:
            check_capacity(
                self.service,
                {name: cleaned.get(name) for name in CAPACITY_FIELDS if name in self.fields},
            )
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    def changes(self) -> dict[str, int | None]:
        return {name: self.cleaned_data[name] for name in CAPACITY_FIELDS if name in self.fields}
