"""Training in the API: programmes and their cohorts, a survivor's enrolments and attendance."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.livelihoods.models import Cohort, EnrolmentStatus, ProgrammeKind
from aftercare.livelihoods.serializers.fields import (
    PastDate,
    RegionCode,
    Version,
)


class CohortSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    region = RegionCode()


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    provider = serializers.UUIDField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    name = serializers.CharField(max_length=200)
    trade = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, default=ProgrammeKind.TRAINING)
    duration_weeks = serializers.IntegerField(min_value=1, max_value=520)
    certification = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    cohorts = CohortSerializer(many=True, read_only=True)


class EnrolmentOut(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    cohort = serializers.UUIDField(source="cohort_id")
    cohort_name = serializers.CharField(source="cohort.name")
    programme = serializers.CharField(source="cohort.programme.name")
    trade = serializers.CharField(source="cohort.programme.trade")
    provider = serializers.CharField(source="cohort.programme.provider.name")
    enrolled_on = serializers.DateField()
    status = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    certificate_number = serializers.CharField()
    certificate_issued_on = serializers.DateField(allow_null=True)
    withdrawal_reason = serializers.CharField()
    sessions = serializers.IntegerField(default=0)
    present = serializers.IntegerField(default=0)
    version = serializers.IntegerField()


class EnrolmentIn(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(
        queryset=Cohort.objects.filter(programme__is_active=True)
    )
    enrolled_on = PastDate(required=False)


class EnrolmentPatch(serializers.Serializer):
    version = Version()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, required=False)
    completed_on = PastDate(required=False, allow_null=True)
    certificate_number = serializers.CharField(required=False, allow_blank=True, max_length=80)
    certificate_issued_on = PastDate(required=False, allow_null=True)
    withdrawal_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AttendanceIn(serializers.Serializer):
    date = PastDate()
    present = serializers.BooleanField()
