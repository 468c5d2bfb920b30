"""Forms built from the instrument's and the measures' data, so the pages follow a new version."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.risk.models import Answer, Instrument, Measure, label_text


class DatedForm(forms.Form):
    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class AssessmentForm(DatedForm):
    """One radio group per factor (absent, partly, present), absent unless changed."""

    on = forms.DateField(
        label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, instrument: Instrument, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.factors = list(instrument.factors.all())
        for factor in self.factors:
            self.fields[f"factor_{factor.code}"] = forms.ChoiceField(
                label=factor.label_text,
                help_text=factor.help_text_text,
                choices=Answer.choices,
                initial=Answer.ABSENT,
                widget=forms.RadioSelect,
                required=False,
            )

    def factor_fields(self, kind: str):
        return [self[f"factor_{factor.code}"] for factor in self.factors if factor.kind == kind]

    def risk_fields(self):
        return self.factor_fields("risk")

    def protective_fields(self):
        return self.factor_fields("protective")

    def answers(self) -> dict[str, str]:
        return {
            f.code: self.cleaned_data.get(f"factor_{f.code}") or Answer.ABSENT for f in self.factors
        }


class MeasureForm(DatedForm):
    """Every item of the measure, each required, as a radio group over the measure's scale."""

    on = forms.DateField(label=_("Date completed"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, measure: Measure, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.items = list(measure.items.all())
        choices = [(str(point["value"]), label_text(point["label"])) for point in measure.scale]
        for item in self.items:
            self.fields[f"item_{item.number}"] = forms.ChoiceField(
                label=f"{item.number}. {item.text_text}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this item.")},
            )

    def item_fields(self):
        return [self[f"item_{item.number}"] for item in self.items]

    def answers(self) -> dict[str, int]:
        return {
            str(item.number): int(self.cleaned_data[f"item_{item.number}"]) for item in self.items
        }
