"""API: a survivor's training enrolments, school, school supplies and social protection."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from aftercare.accounts.models import Organisation
from aftercare.livelihoods import education, training
from aftercare.livelihoods.api.common import (
    Amount,
    CaseResource,
    Currency,
    PastDate,
    Version,
    money,
)
from aftercare.livelihoods.models import (
    Cohort,
    EnrolmentStatus,
    GradeOutcome,
    PayPeriod,
    ProtectionStatus,
    SchoolLevel,
    SchoolStatus,
)

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


def _need_version(data: dict) -> int:
    if "version" not in data:
        raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
    return data.pop("version")


# Training
# ------------------------------------------------------------------------------------------


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


class TrainingView(CaseResource):
    output, body = EnrolmentOut, EnrolmentIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        return training.enrolments_of(self.survivor(actor, survivor_id))

    def create(self, actor, survivor, data):
        enrolment = training.enrol(
            actor, survivor, data["cohort"], enrolled_on=data.get("enrolled_on")
        )
        return training.get_enrolment(survivor, enrolment.pk)


class TrainingEnrolmentView(CaseResource):
    output, patch_body, part = EnrolmentOut, EnrolmentPatch, training.get_enrolment

    def update(self, actor, target, data):
        """Complete (with the certificate) or withdraw; 409 for a stale version."""
        training.finish(actor, target[1], data, _need_version(data))
        return self.read_again(target)


class TrainingAttendanceView(CaseResource):
    output, body, part = EnrolmentOut, AttendanceIn, training.get_enrolment

    def create(self, actor, target, data):
        """Mark one day present or absent; marking a day again replaces the mark."""
        training.mark_attendance(actor, target[1], on=data["date"], present=data["present"])
        return self.read_again(target)


# School
# --------------------------------------------------------------------------------------------


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


class EducationView(CaseResource):
    output, body = SchoolOut, SchoolIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        return education.schooling_of(self.survivor(actor, survivor_id))

    def create(self, actor, survivor, data):
        enrolment = education.enrol_in_school(actor, survivor, data)
        return education.get_enrolment(survivor, enrolment.pk)


class SchoolEnrolmentView(CaseResource):
    output, patch_body, part = SchoolOut, SchoolPatch, education.get_enrolment

    def update(self, actor, target, data):
        education.update_school(actor, target[1], data, _need_version(data))
        return self.read_again(target)


class SchoolTermsView(CaseResource):
    output, body, part = SchoolOut, TermIn, education.get_enrolment

    def create(self, actor, target, data):
        education.record_term(actor, target[1], data)
        return self.read_again(target)


class SchoolProgressionsView(CaseResource):
    output, body, part = SchoolOut, ProgressionIn, education.get_enrolment

    def create(self, actor, target, data):
        education.record_progression(actor, target[1], data)
        return self.read_again(target)


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


class SuppliesView(CaseResource):
    output, body = SupplyOut, SupplyIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        return self.survivor(actor, survivor_id).school_supplies.all()

    def create(self, actor, survivor, data):
        return education.record_supplies(actor, survivor, data)


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


class SocialProtectionView(CaseResource):
    output, body = ProtectionOut, ProtectionIn
    openapi = {"get": {"parameters": PAGING}}

    def rows(self, actor, survivor_id):
        return self.survivor(actor, survivor_id).social_protection.all()

    def create(self, actor, survivor, data):
        return education.record_social_protection(actor, survivor, data)
