"""The API's shapes of mentoring: mentors, a survivor's mentor matches and their sessions, her
leadership roles."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.mentoring.models import LeadershipKind, MentorKind, SessionTopic


class MentorOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=MentorKind.choices)
    name = serializers.CharField()
    is_active = serializers.BooleanField()


class MentorIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MentorKind.choices)
    name = serializers.CharField(max_length=120)


class SessionOut(serializers.Serializer):
    id = serializers.UUIDField()
    held_on = serializers.DateField()
    topic = serializers.ChoiceField(choices=SessionTopic.choices)
    minutes = serializers.IntegerField(allow_null=True)
    notes = serializers.CharField()


class SessionIn(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.ChoiceField(choices=SessionTopic.choices)
    minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=600)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class MatchOut(serializers.Serializer):
    id = serializers.UUIDField()
    mentor = MentorOut()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    focus = serializers.CharField()
    sessions = SessionOut(many=True, source="sessions.all")


class MatchIn(serializers.Serializer):
    mentor = serializers.UUIDField(
        help_text="one of your organisation's mentors (GET /api/v1/mentors)"
    )
    start = serializers.DateField()
    focus = serializers.CharField(required=False, allow_blank=True, default="")


class RoleOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=LeadershipKind.choices)
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    counted = serializers.BooleanField(help_text="she agreed that this role is counted in reports")


class RoleIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeadershipKind.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    counted = serializers.BooleanField(required=False, default=False)
