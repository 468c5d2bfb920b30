"""Forms of the prevention pages. Fields come from the models; the services check the rules."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.network.models import Region
from aftercare.prevention.access import regions_for
from aftercare.prevention.models import (
    AgeGroup,
    Campaign,
    CapacitySession,
    Champion,
    ChampionActivity,
    ChampionTraining,
    CommunityActivity,
    PolicyInstrument,
    School,
    SchoolCase,
    SchoolFollowUp,
    Sex,
    SurveyRound,
    Topic,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        parent = f", {region.parent.name}" if region.parent_id else ""
        return f"{region.name}{parent} ({region.get_level_display()})"


class OrganisationForm(forms.ModelForm):
    """A model form whose region list is the actor's organisation's country."""

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DateInput()
            if name == "region" and organisation is not None:
                self.fields[name] = RegionField(
                    queryset=regions_for(organisation).select_related("parent"),
                    label=field.label,
                    help_text=field.help_text,
                )


class SchoolForm(OrganisationForm):
    class Meta:
        model = School
        fields = ["name", "level", "region", "joined_on"]


class SessionForm(OrganisationForm):
    class Meta:
        model = CapacitySession
        fields = ["held_on", "topic", "facilitators", "teachers_female", "teachers_male"]


class CaseForm(OrganisationForm):
    class Meta:
        model = SchoolCase
        fields = ["reference", "concern", "identified_on"]


class ReportForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SchoolCase
        fields = ["reported_on", "reported_to", "reported_to_detail", "referred_to"]

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].required = True
        self.fields["reported_to"].required = True
        self.fields["referred_to"].queryset = (
            partners if partners is not None else self.fields["referred_to"].queryset
        )
        self.fields["referred_to"].help_text = _(
            "If the case went to a network partner, which one."
        )


class FollowUpForm(OrganisationForm):
    class Meta:
        model = SchoolFollowUp
        fields = ["followed_on", "outcome", "note"]


class ChampionForm(OrganisationForm):
    class Meta:
        model = Champion
        fields = ["name", "kind", "sex", "region", "joined_on"]


class TrainingForm(OrganisationForm):
    class Meta:
        model = ChampionTraining
        fields = ["held_on", "topic", "region", "facilitators", "champions"]
        widgets = {"champions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, champions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if champions is not None:
            self.fields["champions"].queryset = champions


class ChampionActivityForm(OrganisationForm):
    class Meta:
        model = ChampionActivity
        fields = ["held_on", "kind", "description", "people_reached"]


class TopicsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Topic.choices, label=_("Topics"), **kwargs)


class ActivityForm(OrganisationForm):
    topics = TopicsField()

    class Meta:
        model = CommunityActivity
        fields = ["kind", "held_on", "region", "venue", "topics", "facilitators"]


class CampaignForm(OrganisationForm):
    topics = TopicsField()

    class Meta:
        model = Campaign
        fields = [
            "name",
            "medium",
            "topics",
            "region",
            "started_on",
            "ended_on",
            "estimated_reach",
            "reach_basis",
        ]


def cell_name(sex: str, age: str) -> str:
    return f"{sex}__{age}"


class AttendanceForm(forms.Form):
    """One number per sex and age group; the page lays them out as a grid."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for sex, sex_label in Sex.choices:
            for age, age_label in AgeGroup.choices:
                self.fields[cell_name(sex, age)] = forms.IntegerField(
                    min_value=0,
                    required=False,
                    initial=0,
                    label=f"{sex_label}, {age_label}",
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )

    def counts(self) -> dict:
        return {
            sex: {age: self.cleaned_data.get(cell_name(sex, age)) or 0 for age in AgeGroup.values}
            for sex in Sex.values
        }

    def rows(self):
        """(age label, [bound fields by sex]) for the grid."""
        return [
            (label, [self[cell_name(sex, age)] for sex in Sex.values])
            for age, label in AgeGroup.choices
        ]


def initial_counts(counts: dict | None) -> dict:
    if not counts:
        return {}
    return {cell_name(sex, age): n for sex, row in counts.items() for age, n in row.items()}


class InstrumentForm(OrganisationForm):
    drafted_on = forms.DateField(label=_("Drafted on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    class Meta:
        model = PolicyInstrument
        fields = ["title", "kind", "region"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        if organisation is not None:
            self.fields["region"].queryset = (
                Region.objects.filter(country=organisation.country)
                .select_related("parent")
                .order_by("path")
            )
            self.fields["region"].help_text = _(
                "The country, district or sub-county it covers: this sets its level."
            )


class AdvanceForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reached_on = forms.DateField(label=_("Reached on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SurveyDefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("Survey definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_(
            "Code, name, scales with their options, and questions with their domain, scale and the "
            "answers that count as favourable. See docs/prevention.md."
        ),
    )

    def clean_definition(self):
        try:
            return json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("This is not valid JSON: %(error)s") % {"error": exc.msg}
            ) from exc


class RoundForm(OrganisationForm):
    class Meta:
        model = SurveyRound
        fields = ["kind", "label", "started_on", "ended_on"]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [("", _("The whole network"))] + [
                (o.slug, o.name) for o in organisations
            ]
