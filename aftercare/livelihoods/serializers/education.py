"""School in the API: a survivor's enrolments with their terms and school years, school
supplies and social protection."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.livelihoods.models import (
    GradeOutcome,
    PayPeriod,
    ProtectionStatus,
    SchoolLevel,
    SchoolStatus,
)
from aftercare.livelihoods.serializers.fields import (
    Amount,
    Currency,
    PastDate,
    Version,
    money,
)


class TermOut(serializers.Serializer):
    year = serializers.IntegerField()
    term = serializers.IntegerField()
    days_open = serializers.IntegerField()
    days_present = serializers.IntegerField()
    grade = serializers.CharField()
    note = serializers.CharField()


class ProgressionOut(serializers.Serializer):
    year = serializers.IntegerField()
    from_grade = serializers.CharField()
    to_grade = serializers.CharField()
    outcome = serializers.CharField()


class SchoolOut(serializers.Serializer):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    school = serializers.UUIDField(source="school_id", allow_null=True)
    school_name = serializers.CharField(source="school_display")
    level = serializers.CharField()
    grade = serializers.CharField()
    enrolled_on = serializers.DateField()
    status = serializers.CharField()
    left_on = serializers.DateField(allow_null=True)
    left_reason = serializers.CharField()
    terms = TermOut(many=True)
    progressions = ProgressionOut(many=True)
    version = serializers.IntegerField()


class SchoolIn(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="a school in the directory",
    )
    school_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    level = serializers.ChoiceField(choices=SchoolLevel.choices)
    grade = serializers.CharField(max_length=40)
    enrolled_on = PastDate()


class SchoolPatch(serializers.Serializer):
    version = Version()
    grade = serializers.CharField(required=False, max_length=40)
    status = serializers.ChoiceField(choices=SchoolStatus.choices, required=False)
    left_on = PastDate(required=False, allow_null=True)
    left_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TermIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    term = serializers.IntegerField(min_value=1, max_value=4)
    days_open = serializers.IntegerField(min_value=1, max_value=200)
    days_present = serializers.IntegerField(min_value=0, max_value=200)
    grade = serializers.CharField(required=False, allow_blank=True, max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ProgressionIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    from_grade = serializers.CharField(required=False, allow_blank=True, max_length=40)
    to_grade = serializers.CharField(required=False, allow_blank=True, max_length=40)
    outcome = serializers.ChoiceField(choices=GradeOutcome.choices)


class SupplyOut(serializers.Serializer):
    id = serializers.UUIDField()
    provided_on = serializers.DateField()
    items = serializers.CharField()
    value = serializers.SerializerMethodField()
    currency = serializers.CharField()

    def get_value(self, obj) -> str | None:
        return money(obj.value, obj.currency)


class SupplyIn(serializers.Serializer):
    provided_on = PastDate()
    items = serializers.CharField(max_length=300)
    value = Amount(required=False, allow_null=True)
    currency = Currency(required=False, allow_blank=True)


class ProtectionOut(serializers.Serializer):
    id = serializers.UUIDField()
    programme = serializers.CharField()
    status = serializers.CharField()
    since = serializers.DateField()
    benefit_amount = serializers.SerializerMethodField()
    currency = serializers.CharField()
    benefit_period = serializers.CharField()
    note = serializers.CharField()

    def get_benefit_amount(self, obj) -> str | None:
        return money(obj.benefit_amount, obj.currency)


class ProtectionIn(serializers.Serializer):
    programme = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=ProtectionStatus.choices, required=False)
    since = PastDate()
    benefit_amount = Amount(required=False, allow_null=True)
    currency = Currency(required=False, allow_blank=True)
    benefit_period = serializers.ChoiceField(
        choices=PayPeriod.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
