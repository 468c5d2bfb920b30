from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.cases.models import (
    CaseNote,
    CaseStatus,
    ClosureReason,
    Consent,
    DocumentKind,
    ExploitationType,
    Goal,
    LegalCase,
    MeansOfControl,
    NeedLevel,
    PlanReview,
    ServiceDelivery,
    Survivor,
)
from aftercare.cases.services import PROFILE_FIELDS
from aftercare.core.names import country_choices
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.voice.widgets import duty_bearer_field

LANGUAGE_CHOICES = [
    ("en", "English"), ("hi", "हिन्दी (Hindi)"), ("bn", "বাংলা (Bengali)"), ("mr", "मराठी (Marathi)"),
    ("sw", "Kiswahili"), ("zu", "isiZulu"), ("xh", "isiXhosa"), ("st", "Sesotho"), ("af", "Afrikaans"),
    ("pt", "Português"), ("ne", "नेपाली (Nepali)"), ("kdj", "Ng'akarimojong"), ("fr", "Français"),
]


def _country_choices():
    return [("", _("Not recorded")), *country_choices()]


class DateInput(forms.DateInput):
    input_type = "date"


class SurvivorForm(forms.ModelForm):
    """Intake and profile changes; the fields come from the model and services.PROFILE_FIELDS."""

    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    id_number = forms.CharField(label=_("ID or passport number"), max_length=60, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices, required=False)
    country_of_exploitation = forms.ChoiceField(label=_("Country of exploitation"), choices=_country_choices, required=False)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Type of exploitation"), choices=ExploitationType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"), choices=MeansOfControl.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("country", "level", "name"), required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False, help_text=_("Required for a minor."))
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=40, required=False)

    class Meta:
        model = Survivor
        fields = list(PROFILE_FIELDS)

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Enter a year between 1900 and this year."))
        return year


class SurvivorEditForm(SurvivorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    closure_reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "—"), *ClosureReason.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [(s, label) for s, label in CaseStatus.choices if s in allowed]


class PartnerChoices:
    """Forms whose organisation fields offer the case's partner organisations only."""

    partner_fields: tuple[str, ...] = ()

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            for name in self.partner_fields:
                self.fields[name].queryset = partners


class ConsentForm(PartnerChoices, forms.ModelForm):
    partner_fields = ("organisation",)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True), required=False,
        empty_label=_("Any organisation"),
    )
    granted = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "yes", choices=[("yes", _("Gives consent")), ("no", _("Withdraws consent"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Consent
        fields = ["purpose", "granted", "organisation", "method", "given_by", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class NeedsForm(forms.Form):
    """One select per service domain, prefilled with the current assessment."""

    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ServiceDomain.choices:
            self.fields[code] = forms.ChoiceField(
                label=label, choices=NeedLevel.choices, initial=(current or {}).get(code, NeedLevel.NONE)
            )


class GoalForm(PartnerChoices, forms.ModelForm):
    partner_fields = ("responsible_organisation",)

    class Meta:
        model = Goal
        fields = ["domain", "description", "actions", "responsible_organisation", "responsible_person", "target_date", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 2}),
            "target_date": DateInput,
        }


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal._meta.get_field("status").choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "outcome", "survivor_took_part"]
        widgets = {"reviewed_on": DateInput, "outcome": forms.Textarea(attrs={"rows": 3})}


class ServiceForm(PartnerChoices, forms.ModelForm):
    """`partners`: the organisations the actor may record a service for (care.service_organisations)."""

    partner_fields = ("organisation",)
    duty_bearer = duty_bearer_field()

    class Meta:
        model = ServiceDelivery
        fields = ["domain", "organisation", "date", "duty_bearer", "notes"]
        widgets = {"date": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A service delivered cannot be in the future."))
        return value


class NoteForm(forms.ModelForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = CaseNote
        fields = ["sensitivity", "text"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG, at most 10 MB)"))


class LegalForm(forms.ModelForm):
    court_reference = forms.CharField(label=_("Court case number"), max_length=80, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LegalCase
        fields = [
            "stage", "court_reference", "prosecutor_office", "next_hearing", "witness_support", "compensation_claimed",
            "compensation_amount", "compensation_currency", "compensation_status",
        ]
        widgets = {"next_hearing": DateInput, "witness_support": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prosecutor_office"].queryset = Organisation.objects.filter(kind="prosecutor")

    def clean_compensation_currency(self):
        value = self.cleaned_data.get("compensation_currency", "").upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code, e.g. ZAR, INR, KES."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of cases (.xlsx or .csv)"),
        help_text=_("At most 5 MB and 5,000 rows. The first row holds the column headers."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )


class ReassignForm(forms.Form):
    """Hand a case to another worker of the organisation, with a note for them."""

    to_worker = forms.ChoiceField(label=_("New responsible worker"))
    team = forms.ChoiceField(label=_("Team"), required=False)
    note = forms.CharField(
        label=_("Handover note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("What the new worker needs to know first. Encrypted; shown to them on the case page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workers=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].choices = [("", "—"), *workers]
        self.fields["team"].choices = [("", _("No team")), *teams]
