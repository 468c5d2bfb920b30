"""The API's shapes of a person at risk: her record as a list row, a page and an input, and
what her page records (consent, training, a job, housing, her household)."""

from __future__ import annotations

from rest_framework import serializers

from aftercare.atrisk.models import BeneficiaryConsentPurpose, GivenBy, HousingKind
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.livelihoods.models import Cohort, EnrolmentStatus, PartnerEmployer
from aftercare.livelihoods.serializers.fields import PastDate, RegionCode, Version


class BeneficiaryOut(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    given_name = serializers.CharField()
    year_of_birth = serializers.IntegerField(allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    household = serializers.CharField(
        source="household.code",
        allow_null=True,
        default=None,
        help_text="the livelihoods household code",
    )
    consents_to_enrolment = serializers.BooleanField()
    consents_to_data_use = serializers.BooleanField(help_text="counted in reports only while true")
    version = serializers.IntegerField()


class BeneficiaryIn(serializers.Serializer):
    given_name = serializers.CharField(max_length=120)
    year_of_birth = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default=Gender.UNKNOWN)
    region = RegionCode()
    household = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="a household your organisation registered (GET /api/v1/households)",
    )
    consents_to_enrolment = serializers.BooleanField(
        help_text="must be true: no one is enrolled without consent"
    )
    consents_to_data_use = serializers.BooleanField(required=False, default=False)
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices)
    consent_given_by = serializers.ChoiceField(
        choices=GivenBy.choices, required=False, default=GivenBy.PERSON
    )


class TrainingOut(serializers.Serializer):
    id = serializers.UUIDField()
    programme = serializers.CharField(source="cohort.programme.name")
    cohort = serializers.UUIDField(source="cohort_id")
    enrolled_on = serializers.DateField()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    completed_on = serializers.DateField(allow_null=True)
    certificate_number = serializers.CharField()


class JobOut(serializers.Serializer):
    id = serializers.UUIDField()
    employer = serializers.CharField(source="employer.name")
    role = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class HousingOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=HousingKind.choices)
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class SupportOut(serializers.Serializer):
    kind = serializers.CharField()
    given_on = serializers.DateField()


class ConsentOut(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=BeneficiaryConsentPurpose.choices)
    granted = serializers.BooleanField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    recorded_at = serializers.DateTimeField()


class BeneficiaryDetail(BeneficiaryOut):
    training = TrainingOut(many=True)
    jobs = JobOut(many=True)
    housing = HousingOut(many=True)
    household_support = SupportOut(many=True)
    consents = ConsentOut(many=True)


class ConsentIn(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=BeneficiaryConsentPurpose.choices)
    granted = serializers.BooleanField(
        help_text="false records a withdrawal; the newest decision counts"
    )
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    given_by = serializers.ChoiceField(
        choices=GivenBy.choices, required=False, default=GivenBy.PERSON
    )


class TrainingIn(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(
        queryset=Cohort.objects.filter(programme__is_active=True),
        help_text="a cohort of a programme open for enrolment",
    )
    enrolled_on = PastDate(required=False)


class CompleteIn(serializers.Serializer):
    completed_on = PastDate()
    certificate_number = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default=""
    )


class JobIn(serializers.Serializer):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=PartnerEmployer.objects.filter(is_active=True),
        help_text="an active partner employer",
    )
    role = serializers.CharField(max_length=120)
    start_date = PastDate()
    end_date = serializers.DateField(required=False, allow_null=True)


class HousingIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HousingKind.choices)
    start = PastDate()
    end = serializers.DateField(required=False, allow_null=True)


class HouseholdIn(serializers.Serializer):
    household = serializers.UUIDField(
        allow_null=True, help_text="a household your organisation registered, or null to unlink"
    )


class BeneficiaryPatch(serializers.Serializer):
    given_name = serializers.CharField(max_length=120, required=False)
    year_of_birth = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    region = RegionCode()
    version = Version(
        help_text="the version you last read; 409 if someone changed her record since"
    )
