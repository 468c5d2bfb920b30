"""Page forms, derived from the models where they can be; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.cases.forms import DateInput
from aftercare.livelihoods.models import (
    Cohort,
    EnrolmentStatus,
    EntryKind,
    ExchangeRate,
    GradeProgression,
    Household,
    HouseholdFollowUp,
    HouseholdSupport,
    IncomeRecord,
    LeftReason,
    PartnerEmployer,
    Placement,
    Product,
    RetentionOutcome,
    Sale,
    SchoolEnrolment,
    SchoolStatus,
    SchoolSupply,
    SocialProtection,
    TermAttendance,
    TrainingProgramme,
    WageStandard,
)
from aftercare.livelihoods.money import CURRENCY_CHOICES
from aftercare.network.models import Region

DATE_WIDGETS = dict.fromkeys(
    (
        "start_date",
        "end_date",
        "made_on",
        "sold_on",
        "valid_from",
        "enrolled_on",
        "provided_on",
        "since",
        "given_on",
        "visited_on",
        "next_visit",
        "left_on",
        "completed_on",
        "certificate_issued_on",
    ),
    DateInput,
)


def regions():
    return Region.objects.order_by("country", "depth", "name")


class PlacementForm(forms.ModelForm):
    employer = forms.ModelChoiceField(
        label=_("Employer"), queryset=PartnerEmployer.objects.filter(is_active=True)
    )
    region = forms.ModelChoiceField(
        label=_("Where the job is"),
        queryset=regions(),
        required=False,
        help_text=_("Leave empty for the survivor's region."),
    )

    class Meta:
        model = Placement
        fields = [
            "employer",
            "role",
            "start_date",
            "end_date",
            "hours_per_week",
            "days_per_week",
            "wage_amount",
            "currency",
            "pay_period",
            "region",
        ]
        widgets = DATE_WIDGETS


class PlacementEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    end_reason = forms.CharField(label=_("Why it ended"), max_length=200)


class RetentionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (RetentionOutcome.RETAINED, _("Still in the job")),
            (RetentionOutcome.LEFT, _("Left the job")),
        ],
    )
    left_reason = forms.ChoiceField(
        label=_("Why the job was left"), choices=[("", "—"), *LeftReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SavingsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Entry"), choices=EntryKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=3,
        help_text=_("For a correction: negative to take away, positive to add."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="ZAR")
    entry_date = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"] = forms.ChoiceField(
            label=_("Entry corrected"),
            required=False,
            choices=[
                ("", "—"),
                *[
                    (
                        str(e.pk),
                        f"#{e.sequence} {e.account.currency} {e.get_kind_display()} {e.change}",
                    )
                    for e in entries
                ],
            ],
            help_text=_("Only for a correction."),
        )


class IncomeForm(forms.ModelForm):
    class Meta:
        model = IncomeRecord
        fields = ["month", "source", "amount", "currency", "note"]
        widgets = {"month": DateInput}
        help_texts = {"month": _("Any day of the month.")}

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month.replace(day=1) if month else month


class EnrolForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.filter(programme__is_active=True).select_related("programme"),
    )
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput, required=False)


class AttendanceForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput)
    present = forms.BooleanField(label=_("Present"), required=False)


class FinishTrainingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in EnrolmentStatus.choices if c[0] != EnrolmentStatus.ENROLLED],
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=80, required=False
    )
    certificate_issued_on = forms.DateField(
        label=_("Certificate issued on"), widget=DateInput, required=False
    )
    withdrawal_reason = forms.CharField(
        label=_("Reason for leaving"), max_length=200, required=False
    )


class SchoolForm(forms.ModelForm):
    school = forms.ModelChoiceField(
        label=_("School in the directory"),
        required=False,
        queryset=Organisation.objects.filter(kind="school", is_active=True),
    )

    class Meta:
        model = SchoolEnrolment
        fields = ["school", "school_name", "level", "grade", "enrolled_on"]
        widgets = DATE_WIDGETS


class SchoolUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.CharField(label=_("Grade or class now"), max_length=40)
    status = forms.ChoiceField(label=_("Status"), choices=SchoolStatus.choices)
    left_on = forms.DateField(label=_("Left on"), widget=DateInput, required=False)
    left_reason = forms.CharField(label=_("Reason for leaving"), max_length=200, required=False)


class TermForm(forms.ModelForm):
    class Meta:
        model = TermAttendance
        fields = ["year", "term", "days_open", "days_present", "grade", "note"]
        help_texts = {"grade": _("Leave empty for the grade on record.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].required = False


class ProgressionForm(forms.ModelForm):
    class Meta:
        model = GradeProgression
        fields = ["year", "from_grade", "to_grade", "outcome"]
        help_texts = {"from_grade": _("Leave empty for the grade on record.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_grade"].required = False


class SupplyForm(forms.ModelForm):
    class Meta:
        model = SchoolSupply
        fields = ["provided_on", "items", "value", "currency"]
        widgets = DATE_WIDGETS


class ProtectionForm(forms.ModelForm):
    class Meta:
        model = SocialProtection
        fields = [
            "programme",
            "status",
            "since",
            "benefit_amount",
            "currency",
            "benefit_period",
            "note",
        ]
        widgets = DATE_WIDGETS


class EmployerForm(forms.ModelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=regions(), required=False)

    class Meta:
        model = PartnerEmployer
        fields = ["name", "sector", "region", "organisation"]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = TrainingProgramme
        fields = ["name", "trade", "kind", "duration_weeks", "certification", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CohortForm(forms.ModelForm):
    region = forms.ModelChoiceField(label=_("Where"), queryset=regions(), required=False)

    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date", "region"]
        widgets = DATE_WIDGETS


def parse_makers(text: str, *, weights: bool) -> list[tuple[str, int]]:
    """`AC-XXXX, AC-YYYY` or, with weights, `AC-XXXX:3, AC-YYYY:2` (pieces made)."""
    rows = []
    for part in (p.strip() for p in text.replace("\n", ",").split(",")):
        if not part:
            continue
        code, _sep, count = part.partition(":")
        if count and not weights:
            raise forms.ValidationError(_("List case codes only, separated by commas."))
        try:
            number = int(count) if count else 1
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write the pieces as a whole number after a colon, e.g. AC-2345678:3.")
            ) from exc
        if number < 1:
            raise forms.ValidationError(_("Each maker made at least one piece."))
        rows.append((code.strip().upper(), number))
    return rows


class ProductForm(forms.ModelForm):
    enterprise = forms.ModelChoiceField(
        label=_("Social enterprise"),
        required=False,
        queryset=Organisation.objects.filter(kind="social_enterprise", is_active=True),
    )
    maker_codes = forms.CharField(
        label=_("Makers"), required=False, help_text=_("Case codes, separated by commas.")
    )

    class Meta:
        model = Product
        fields = ["name", "enterprise", "description", "materials", "maker_percent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_maker_codes(self):
        return [
            code
            for code, _n in parse_makers(self.cleaned_data.get("maker_codes", ""), weights=False)
        ]


class BatchForm(forms.Form):
    made_on = forms.DateField(label=_("Made on"), widget=DateInput)
    quantity = forms.IntegerField(label=_("Pieces made"), min_value=1)
    makers = forms.CharField(
        label=_("Who made how many"),
        help_text=_("Case code and pieces, e.g. AC-2345678:3, AC-3456789:2."),
    )

    def clean_makers(self):
        return parse_makers(self.cleaned_data["makers"], weights=True)


class SaleForm(forms.ModelForm):
    batch = forms.ChoiceField(label=_("From batch"), required=False)

    class Meta:
        model = Sale
        fields = ["channel", "quantity", "unit_price", "currency", "sold_on"]
        widgets = DATE_WIDGETS

    def __init__(self, *args, product=None, **kwargs):
        super().__init__(*args, **kwargs)
        batches = product.batches.all()[:50] if product is not None else []
        self.fields["batch"].choices = [("", _("Share equally among the makers"))] + [
            (str(b.pk), f"{b.made_on:%Y-%m-%d} · {b.quantity}") for b in batches
        ]


class HouseholdForm(forms.ModelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=regions(), required=False)

    class Meta:
        model = Household
        fields = ["region", "contact_name", "members", "children", "vulnerability"]
        widgets = {
            "vulnerability": forms.Textarea(attrs={"rows": 2}),
            "contact_name": forms.TextInput,
        }


class SupportForm(forms.ModelForm):
    class Meta:
        model = HouseholdSupport
        fields = ["kind", "given_on", "description", "value", "currency"]
        widgets = DATE_WIDGETS


class HouseholdFollowUpForm(forms.ModelForm):
    class Meta:
        model = HouseholdFollowUp
        fields = ["visited_on", "situation", "note", "next_visit"]
        widgets = {**DATE_WIDGETS, "note": forms.Textarea(attrs={"rows": 2})}


class WageStandardForm(forms.ModelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=regions())

    class Meta:
        model = WageStandard
        fields = [
            "region",
            "kind",
            "amount",
            "currency",
            "period",
            "hours_per_week",
            "days_per_week",
            "valid_from",
            "source",
        ]
        widgets = DATE_WIDGETS


class RateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["base", "quote", "rate", "valid_from", "source"]
        widgets = DATE_WIDGETS
