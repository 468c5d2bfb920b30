"""Forms for mentors, matches, sessions and leadership roles; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organisation
from aftercare.mentoring.models import LeadershipKind, MentorKind, SessionTopic


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class MentorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mentor is a"), choices=MentorKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)


class MatchForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None)
    start = _date(_("From"))
    focus = forms.CharField(
        label=_("What they will work on"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class EndMatchForm(forms.Form):
    end = _date(_("Ended on"))


class SessionForm(forms.Form):
    held_on = _date(_("Held on"))
    topic = forms.ChoiceField(label=_("Topic"), choices=SessionTopic.choices)
    minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=600)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=LeadershipKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("With"), queryset=Organisation.objects.order_by("name"), required=False
    )
    start = _date(_("From"))
    end = _date(_("Until"), required=False)
    counted = forms.BooleanField(
        label=_("She agrees that this role is counted in reports"), required=False
    )
