"""How prevention records look in the API: output shapes derived from the models' fields.

Input is checked by the services (one rule for the page, the API and the phone); these
serializers only describe it for the OpenAPI schema.
"""

from __future__ import annotations

from rest_framework import serializers

from aftercare.prevention import community, milestones
from aftercare.prevention.models import (
    AgeGroup,
    Campaign,
    CapacitySession,
    Champion,
    ChampionActivity,
    ChampionTraining,
    CommunityActivity,
    Milestone,
    PolicyInstrument,
    School,
    SchoolCase,
    SchoolFollowUp,
    Sex,
    Survey,
    SurveyRound,
)


def _region():
    return serializers.SlugRelatedField(slug_field="code", read_only=True)


class SchoolSerializer(serializers.ModelSerializer):
    region = _region()

    class Meta:
        model = School
        fields = ["id", "name", "level", "region", "joined_on", "is_active", "member_organisation"]


class CapacitySessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapacitySession
        fields = [
            "id",
            "school",
            "held_on",
            "topic",
            "facilitators",
            "teachers_female",
            "teachers_male",
        ]


class SchoolCaseSerializer(serializers.ModelSerializer):
    days_to_report = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = SchoolCase
        fields = [
            "id",
            "school",
            "reference",
            "concern",
            "identified_on",
            "reported_on",
            "reported_to",
            "reported_to_detail",
            "referred_to",
            "stage",
            "closed_on",
            "days_to_report",
            "version",
        ]


class SchoolFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolFollowUp
        fields = ["id", "case", "followed_on", "outcome", "note"]


class SchoolDetailSerializer(SchoolSerializer):
    sessions = CapacitySessionSerializer(many=True, read_only=True)
    cases = SchoolCaseSerializer(many=True, read_only=True)

    class Meta(SchoolSerializer.Meta):
        fields = [*SchoolSerializer.Meta.fields, "sessions", "cases"]


class ChampionSerializer(serializers.ModelSerializer):
    region = _region()

    class Meta:
        model = Champion
        fields = [
            "id",
            "name",
            "kind",
            "sex",
            "region",
            "joined_on",
            "is_active",
            "status_changed_on",
            "version",
        ]


class ChampionActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ChampionActivity
        fields = ["id", "champion", "held_on", "kind", "description", "people_reached"]


class ChampionTrainingSerializer(serializers.ModelSerializer):
    region = _region()

    class Meta:
        model = ChampionTraining
        fields = ["id", "held_on", "topic", "region", "facilitators", "champions"]


def _counts_field():
    row = {age: serializers.IntegerField(min_value=0, required=False) for age in AgeGroup.values}
    return {
        sex: type(f"Attendance{sex.title()}", (serializers.Serializer,), row)(required=False)
        for sex in Sex.values
    }


AttendanceCounts = type("AttendanceCounts", (serializers.Serializer,), _counts_field())


class CommunityActivitySerializer(serializers.ModelSerializer):
    region = _region()
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = CommunityActivity
        fields = [
            "id",
            "kind",
            "held_on",
            "region",
            "venue",
            "topics",
            "facilitators",
            "champions",
            "version",
            "attendance",
        ]

    def get_attendance(self, activity) -> dict | None:
        """By sex and age group with the totals and the share of men; null until counted."""
        counts = community.current_counts(activity)
        if counts is None:
            return None
        return community.summarise(
            (s, a, n) for s, row in counts.items() for a, n in row.items()
        ).as_dict()


class AwarenessCampaignSerializer(serializers.ModelSerializer):
    region = _region()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "medium",
            "topics",
            "region",
            "started_on",
            "ended_on",
            "estimated_reach",
            "reach_basis",
        ]


class PolicyMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["stage", "reached_on", "note"]


class PolicyInstrumentSerializer(serializers.ModelSerializer):
    region = _region()
    milestones = PolicyMilestoneSerializer(many=True, read_only=True)
    next_stage = serializers.SerializerMethodField()

    class Meta:
        model = PolicyInstrument
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "region",
            "stage",
            "next_stage",
            "version",
            "milestones",
        ]

    def get_next_stage(self, instrument) -> str | None:
        following = milestones.next_stage(instrument.stage)
        return following.value if following else None


class SurveyRoundSerializer(serializers.ModelSerializer):
    responses = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRound
        fields = ["id", "kind", "label", "started_on", "ended_on", "responses"]

    def get_responses(self, survey_round) -> int:
        """Counted with the rounds where a list of them is read (kap.counted_rounds,
        kap.rounds_counted); counted here for a round on its own (one just added)."""
        counted = getattr(survey_round, "response_count", None)
        return survey_round.responses.count() if counted is None else counted


class KapSurveySerializer(serializers.ModelSerializer):
    rounds = SurveyRoundSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "code", "name", "description", "rounds"]
