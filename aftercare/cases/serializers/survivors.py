"""The API's shapes of a survivor's case: her profile as a list, a page and an input, intake's
answer, and the possible matches of a duplicate check."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from aftercare.cases import services
from aftercare.cases.models import ClosureReason, ExploitationType, MeansOfControl, Survivor
from aftercare.network.models import Region


class SurvivorSummary(serializers.ModelSerializer):
    """What a list shows: the pseudonymous profile, no direct identifiers."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    age_band = serializers.CharField(read_only=True)
    is_minor = serializers.BooleanField(read_only=True)
    assigned_worker = serializers.SerializerMethodField(
        help_text=(
            "the user responsible for the case; null when "
            "no one is, or for a case shared by a partner"
        )
    )
    team = serializers.SerializerMethodField(help_text="the team sharing the case; null likewise")

    class Meta:
        model = Survivor
        fields = [
            "id",
            "case_code",
            "organisation",
            "year_of_birth",
            "age_band",
            "is_minor",
            *services.PSEUDONYMOUS_FIELDS,
            "status",
            "closure_reason",
            "assigned_worker",
            "team",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _held_by_caller(self, obj) -> bool:
        """Who holds a case inside its organisation is that organisation's business, not a
        partner's."""
        return str(obj.organisation_id) == str(self.context.get("organisation_id", ""))

    def get_assigned_worker(self, obj) -> str | None:
        return (
            str(obj.assigned_worker_id)
            if obj.assigned_worker_id and self._held_by_caller(obj)
            else None
        )

    def get_team(self, obj) -> str | None:
        return str(obj.team_id) if obj.team_id and self._held_by_caller(obj) else None


class SurvivorListItem(SurvivorSummary):
    """A row of the case list: the pseudonymous profile, and the survivor's first name only
    for a caller who may see her identity (null for the others)."""

    first_name = serializers.SerializerMethodField()

    class Meta(SurvivorSummary.Meta):
        fields = [*SurvivorSummary.Meta.fields, "first_name"]
        read_only_fields = fields

    def get_first_name(self, obj) -> str | None:
        return getattr(obj, "listed_name", "") or None


class SurvivorDetail(SurvivorSummary):
    class Meta(SurvivorSummary.Meta):
        fields = [*SurvivorSummary.Meta.fields, *services.IDENTIFIER_FIELDS, "guardian_relation"]
        read_only_fields = fields


class SurvivorInput(serializers.ModelSerializer):
    """Intake and change input, derived from the model so the two cannot drift apart."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    nationality = CountryField(required=False, allow_blank=True)
    country_of_exploitation = CountryField(required=False, allow_blank=True)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices),
        required=False,
        allow_empty=True,
    )
    means_of_control = serializers.ListField(
        child=serializers.ChoiceField(choices=MeansOfControl.choices),
        required=False,
        allow_empty=True,
    )
    languages = serializers.ListField(
        child=serializers.RegexField(
            r"^[a-z]{2,3}$",
            error_messages={"invalid": _("Use ISO 639 language codes, e.g. en, hi, sw.")},
        ),
        required=False,
        allow_empty=True,
    )
    year_of_birth = serializers.IntegerField(required=False, allow_null=True, min_value=1900)
    # Stored encrypted as text, but it is a date: parse and check it like one.
    date_of_birth = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Survivor
        fields = list(services.PROFILE_FIELDS)
        extra_kwargs = {"given_name": {"required": True, "allow_blank": False}}

    def validate_year_of_birth(self, value):
        if value is not None and value > timezone.now().year:
            raise serializers.ValidationError(_("The year of birth cannot be in the future."))
        return value

    def validate_date_of_birth(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def validate_exploitation_types(self, value):
        return sorted(set(value))

    def validate_means_of_control(self, value):
        return sorted(set(value))


class SurvivorPatch(SurvivorInput):
    version = serializers.IntegerField(min_value=1)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False)

    class Meta(SurvivorInput.Meta):
        fields = [*SurvivorInput.Meta.fields, "status", "closure_reason", "version"]
        extra_kwargs = {"given_name": {"required": False, "allow_blank": False}}


class IntakeResult(SurvivorDetail):
    possible_duplicate = serializers.SerializerMethodField()

    class Meta(SurvivorDetail.Meta):
        fields = [*SurvivorDetail.Meta.fields, "possible_duplicate"]
        read_only_fields = fields

    def get_possible_duplicate(self, obj) -> dict:
        found = self.context["possible"]
        return {
            "in_own_organisation": found.in_own_organisation,
            "elsewhere_in_network": found.elsewhere_in_network,
        }


class IntakeInput(SurvivorInput):
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "true once the caller has seen the possible matches (409) and she is someone else"
        ),
    )

    class Meta(SurvivorInput.Meta):
        fields = [*SurvivorInput.Meta.fields, "confirm_new"]


class MatchSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_code = serializers.CharField()
    status = serializers.CharField()


class MatchesSerializer(serializers.Serializer):
    """Possible matches: the caller's own organisation's cases (it may open them), and for the
    rest of the network only whether a partner may know her, never which or where."""

    own = MatchSerializer(many=True, help_text="cases of the caller's organisation")
    elsewhere_in_network = serializers.BooleanField(
        help_text=(
            "a partner may already know her: ask the network coordinator (nothing more is said)"
        )
    )


class PossibleDuplicateResponse(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    code = serializers.CharField(help_text="possible_duplicate")
    matches = MatchesSerializer()


def matches_data(matches) -> dict:
    return {
        "own": [
            {"id": str(case.pk), "case_code": case.case_code, "status": case.status}
            for case in matches.own
        ],
        "elsewhere_in_network": matches.elsewhere_in_network,
    }


class DuplicateCheckInput(serializers.Serializer):
    given_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    year_of_birth = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, default=None
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class MergeInput(serializers.Serializer):
    other = serializers.UUIDField(
        help_text="the id of the other case of the same person, closed as its duplicate"
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="this case's version as last read (409 when stale)"
    )
