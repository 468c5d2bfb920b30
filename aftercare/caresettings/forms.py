"""Forms for a period of care and a line of programme costs; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.caresettings.models import Appeal, CareSettingKind, CostCategory, SettingGroup
from aftercare.livelihoods.money import CURRENCY_CHOICES
from aftercare.network.taxonomy import ServiceDomain

YES_NO = [("", _("Choose")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        empty_value=None,
        coerce=lambda value: value == "true",
        help_text=_("Asked of a closed shelter or detention only."),
    )


class CareSettingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Where she lives"), choices=CareSettingKind.choices)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while she still lives there."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation running it"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    may_leave = yes_no_field(_("May she leave when she wishes?"))
    lawyer_access = yes_no_field(_("Has she had access to a lawyer?"))
    lawyer_access_on = forms.DateField(
        label=_("First saw a lawyer on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    appeal = forms.ChoiceField(
        label=_("Appeal against her detention"),
        choices=[("", _("Choose")), *Appeal.choices],
        required=False,
    )
    appeal_on = forms.DateField(
        label=_("Appeal lodged on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EndSettingForm(forms.Form):
    end = forms.DateField(label=_("She left on"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class LawyerForm(forms.Form):
    lawyer_access_on = forms.DateField(
        label=_("She first saw a lawyer on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CostForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=3)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    setting_group = forms.ChoiceField(
        label=_("Care setting it paid for"),
        choices=[("", _("Shared by every setting")), *SettingGroup.choices],
        required=False,
    )
    service_domain = forms.ChoiceField(
        label=_("Service it paid for"),
        choices=[("", _("None in particular")), *ServiceDomain.choices],
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
