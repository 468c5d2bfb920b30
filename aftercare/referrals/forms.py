from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.cases.access import DEFAULT_SHARED, SHAREABLE_CHOICES
from aftercare.cases.models import ConsentMethod, Gender, NeedLevel
from aftercare.network.taxonomy import ServiceDomain


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.filter(is_active=True).order_by("name")
    )
    domains = forms.MultipleChoiceField(
        label=_("Services needed"),
        choices=ServiceDomain.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_sections = forms.MultipleChoiceField(
        label=_("Once they accept, she agrees to share"),
        choices=SHAREABLE_CHOICES,
        initial=DEFAULT_SHARED,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    transfer = forms.BooleanField(
        label=_("Transfer her case to them"),
        required=False,
        help_text=_(
            "Only if she agreed that they hold her case from now on (record that consent first). "
            "A supervisor of your organisation approves the transfer before it happens."
        ),
    )
    emergency_justification = forms.CharField(
        label=_("Emergency without her consent: why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only if she cannot be asked and waiting would put her in danger. This is audited."
        ),
    )

    def __init__(self, *args, exclude_organisation=None, consent_missing: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if exclude_organisation is not None:
            self.fields["to_organisation"].queryset = self.fields[
                "to_organisation"
            ].queryset.exclude(pk=exclude_organisation.pk)
        if not consent_missing:
            # She agreed to be referred: the override is not asked for, so it is not offered.
            del self.fields["emergency_justification"]


class GuidedReferralForm(ReferralForm):
    """Referring a case: the partners come ranked from the directory, one is picked (radio)."""

    def __init__(self, *args, needs: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].widget = forms.RadioSelect()
        self.fields["to_organisation"].empty_label = None
        levels = dict(NeedLevel.choices)
        self.fields["domains"].choices = [
            (
                code,
                _("%(service)s — need: %(level)s")
                % {"service": label, "level": str(levels[needs[code]]).lower()}
                if needs and needs.get(code) in levels and needs[code] != NeedLevel.NONE
                else label,
            )
            for code, label in ServiceDomain.choices
        ]

    def chosen_organisation_id(self) -> str:
        """The partner picked (posted) or proposed (initial), as text, before validation."""
        value = (
            self.data.get("to_organisation")
            if self.is_bound
            else self.initial.get("to_organisation")
        )
        return str(value or "")

    def chosen_domains(self) -> list[str]:
        if self.is_bound:
            return [d for d in self.data.getlist("domains") if d in ServiceDomain.values]
        return list(self.initial.get("domains") or [])


class NewPersonReferralForm(ReferralForm):
    """For prosecutors, police and hotlines: someone who has no case anywhere yet."""

    given_name = forms.CharField(label=_("First name (or the name she uses)"), max_length=200)
    phone = forms.CharField(label=_("Phone, if safe to call"), max_length=40, required=False)
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.WOMAN)
    consent_given = forms.BooleanField(
        label=_("She agreed to be referred to this organisation"), required=True
    )
    consent_method = forms.ChoiceField(
        label=_("How she agreed"), choices=ConsentMethod.choices, initial=ConsentMethod.VERBAL
    )
    transfer_consent_given = forms.BooleanField(
        label=_("She agreed that this organisation holds her case from now on"),
        required=False,
        help_text=_(
            "Then her case moves to them once they accept "
            "and a supervisor of your organisation approves."
        ),
    )

    field_order = [
        "given_name",
        "phone",
        "year_of_birth",
        "gender",
        "to_organisation",
        "domains",
        "reason",
        "shared_sections",
        "consent_given",
        "consent_method",
        "transfer_consent_given",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("emergency_justification", None)
        del self.fields["transfer"]


class TransitionForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
