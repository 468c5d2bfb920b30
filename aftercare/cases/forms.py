from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.cases import care
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

LANGUAGE_CHOICES = [
    ("en", "English"),
    ("hi", "हिन्दी (Hindi)"),
    ("bn", "বাংলা (Bengali)"),
    ("mr", "मराठी (Marathi)"),
    ("sw", "Kiswahili"),
    ("zu", "isiZulu"),
    ("xh", "isiXhosa"),
    ("st", "Sesotho"),
    ("af", "Afrikaans"),
    ("pt", "Português"),
    ("ne", "नेपाली (Nepali)"),
    ("kdj", "Ng'akarimojong"),
    ("fr", "Français"),
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
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput,
        help_text=_("Give the date of birth, or only the year below if that is all she knows."),
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth, if the date is not known"),
        required=False,
        min_value=1900,
        help_text=_("Filled from the date of birth when one is given."),
    )
    id_number = forms.CharField(label=_("ID or passport number"), max_length=60, required=False)
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=_country_choices, required=False
    )
    country_of_exploitation = forms.ChoiceField(
        label=_("Country of exploitation"), choices=_country_choices, required=False
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Type of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("country", "level", "name"),
        required=False,
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"),
        max_length=200,
        required=False,
        help_text=_("Required for a minor."),
    )
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=40, required=False)

    class Meta:
        model = Survivor
        fields = list(PROFILE_FIELDS)

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Enter a year between 1900 and this year."))
        return year

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self):
        """One of the date or the year of birth: the date gives the year
        (services.derive_birth_year)."""
        data = super().clean()
        born, year = data.get("date_of_birth"), data.get("year_of_birth")
        if born is not None and year is None and "year_of_birth" not in self.errors:
            data["year_of_birth"] = born.year
        elif born is not None and year is not None and year != born.year:
            self.add_error(
                "year_of_birth", _("The year of birth does not match the date of birth.")
            )
        return data


class SurvivorEditForm(SurvivorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    # "Duplicate" is not offered: a case is closed as a duplicate only by merging it (cases.merge).
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[
            ("", "—"),
            *((v, label) for v, label in ClosureReason.choices if v != ClosureReason.DUPLICATE),
        ],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [
                (s, label) for s, label in CaseStatus.choices if s in allowed
            ]


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
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any organisation"),
    )
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Gives consent")), ("no", _("Withdraws consent"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Consent
        fields = ["purpose", "granted", "organisation", "method", "given_by", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class NeedsForm(forms.Form):
    """One select per service domain, prefilled with the current assessment.

    A domain nobody asked about starts as "Not assessed", not "None": "None" says she was asked
    and needs nothing there, and pre-setting it would turn every unasked domain into no need.
    """

    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ServiceDomain.choices:
            self.fields[code] = forms.ChoiceField(
                label=label,
                choices=[("", _("Not assessed")), *NeedLevel.choices],
                required=False,
                initial=(current or {}).get(code, ""),
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(code) for code in ServiceDomain.values):
            raise forms.ValidationError(_("Assess at least one service domain."))
        return data


class GoalForm(PartnerChoices, forms.ModelForm):
    partner_fields = ("responsible_organisation",)

    class Meta:
        model = Goal
        fields = list(care.GOAL_FIELDS)
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


class DutyBearerPicker(forms.Widget):
    """The duty-bearer picker: a search box that offers registry entries as the user types (htmx),
    each a radio button carrying the entry's id, so a service names an entry and never a
    free-typed name that would have to match one exactly. The registry and its search are
    voice's (above cases): the picker reads entries through its field's queryset."""

    template_name = "voice/widgets/duty_bearer_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, ""):
            try:
                chosen = (
                    self.choices.queryset.filter(pk=value).select_related("organisation").first()
                )
            except (ValueError, forms.ValidationError):
                chosen = None
        context["widget"].update(chosen=chosen, url=reverse("voice:duty_bearer_options"))
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_


def duty_bearer_field(**kwargs) -> forms.ModelChoiceField:
    """The active entries of the duty-bearer registry, reached through
    `ServiceDelivery.duty_bearer`."""
    registry = ServiceDelivery._meta.get_field("duty_bearer").related_model
    return forms.ModelChoiceField(
        label=_("Duty bearer"),
        required=False,
        queryset=registry.objects.filter(is_active=True),
        widget=DutyBearerPicker,
        help_text=_("Type part of a name or office, then choose from the registry."),
        error_messages={"invalid_choice": _("Choose a duty bearer from the registry.")},
        **kwargs,
    )


class ServiceForm(PartnerChoices, forms.ModelForm):
    """`partners`: the organisations the actor may record a service for
    (care.service_organisations)."""

    partner_fields = ("organisation",)
    duty_bearer = duty_bearer_field()

    class Meta:
        model = ServiceDelivery
        fields = ["domain", "organisation", "date", "duty_bearer", "notes"]
        widgets = {"date": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most services are recorded the day they happen: an empty required date was one more stop.
        self.fields["date"].initial = timezone.localdate

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
        fields = list(care.LEGAL_FIELDS)
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
        widget=forms.FileInput(
            attrs={
                "accept": (
                    ".xlsx,.csv,text/csv,application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet"
                )
            }
        ),
    )


class MergeForm(forms.Form):
    """Which other record of the same person to merge into this case: one of the possible
    matches found by name, or any case of the organisation by its code."""

    other = forms.ChoiceField(label=_("Possible matches"), required=False, widget=forms.RadioSelect)
    other_code = forms.CharField(label=_("Or the other case's code"), max_length=16, required=False)
    confirm = forms.BooleanField(
        label=_(
            "I have checked that both cases are the same person. The other case will "
            "be closed as a duplicate and everything it holds will move to this case."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (str(case.pk), f"{case.case_code} · {case.given_name} · {case.year_of_birth or '—'}")
            for case in candidates
        ]

    def clean(self):
        data = super().clean()
        if not data.get("other") and not data.get("other_code", "").strip():
            raise forms.ValidationError(_("Choose the other case, or give its code."))
        return data


class ReassignForm(forms.Form):
    """Hand a case to another worker of the organisation, with a note for them."""

    to_worker = forms.ChoiceField(label=_("New responsible worker"))
    team = forms.ChoiceField(label=_("Team"), required=False)
    note = forms.CharField(
        label=_("Handover note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "What the new worker needs to know first. Encrypted; shown to them on the case page."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workers=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].choices = [("", "—"), *workers]
        self.fields["team"].choices = [("", _("No team")), *teams]
