"""Forms of the portal, the feedback page and the staff pages of survivor voice."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.voice.models import DIMENSIONS, DutyBearer, DutyBearerKind
from aftercare.voice.ratings import dimension_questions

SCORE_CHOICES = [
    (5, _("5 · Very good")),
    (4, _("4 · Good")),
    (3, _("3 · OK")),
    (2, _("2 · Bad")),
    (1, _("1 · Very bad")),
]


class PortalSignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or phone number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    secret = forms.CharField(
        label=_("PIN or password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class ScoresForm(forms.Form):
    """The five questions, each answered 1–5, and a comment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = dimension_questions()
        for name in DIMENSIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=questions[name],
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Anything else you want to say? (you can leave this empty)"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Do not write names or phone numbers. We may "
                "show your words to others, but never your name."
            ),
        )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in DIMENSIONS}


class PortalRatingForm(ScoresForm):
    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"] = forms.ChoiceField(
            label=_("Who do you want to rate?"),
            choices=[(str(s.pk), s.name) for s in subjects],
        )
        self.order_fields(["subject", *DIMENSIONS, "comment"])


class CodeRatingForm(ScoresForm):
    code = forms.CharField(
        label=_("Your feedback code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["code", *DIMENSIONS, "comment"])


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("What is it about?"), choices=ServiceDomain.choices)
    description = forms.CharField(
        label=_("Your goal, in your own words"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChangePinForm(forms.Form):
    current = forms.CharField(
        label=_("Your PIN now"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    new = forms.CharField(
        label=_("New PIN (6 to 12 digits)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=lambda: settings.LANGUAGES)


class LinkAccountForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to make one up. Avoid the survivor's name."),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "6 to 12 digits the survivor chooses. Leave empty to make one up; it is shown once."
        ),
    )
    phone = forms.CharField(label=_("Phone number for sign-in"), max_length=40, required=False)
    use_case_phone = forms.BooleanField(label=_("Use the phone number on the case"), required=False)


class ResetPinForm(forms.Form):
    pin = forms.CharField(
        label=_("New PIN"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Leave empty to make one up; it is shown once."),
    )


class IssueCodeForm(forms.Form):
    subject = forms.ChoiceField(label=_("Who is rated"))
    language = forms.ChoiceField(
        label=_("Language of the SMS replies"), choices=lambda: settings.LANGUAGES
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(str(s.pk), s.name) for s in subjects]


class DutyBearerForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DutyBearer
        fields = ["name", "kind", "organisation", "region", "is_active"]

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("region"):
            raise forms.ValidationError(_("Link the duty bearer to an organisation or a region."))
        return data


class DutyBearerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *DutyBearerKind.choices]
    )


class ModerationForm(forms.Form):
    quote = forms.CharField(
        label=_("Wording to quote"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HighlightForm(forms.Form):
    text = forms.CharField(
        label=_("What they do well"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("clear", _("The ratings look genuine: publish as usual")),
            ("withhold", _("Do not publish this quarter of this subject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why (kept in the audit trail)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
