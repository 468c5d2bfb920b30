"""API: people at risk who were never trafficked: list, register, read and correct her record, and
record what her page records (consent, training and its completion, a job, housing, her household).

Her organisation's alone: another organisation gets 404, a role without case access 403
(services decide). The given name is returned only to those who may see the record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.accounts.policy import Action
from aftercare.atrisk import services
from aftercare.atrisk.models import BeneficiaryConsentPurpose, GivenBy, HousingKind
from aftercare.cases.models import ConsentMethod, Gender
from aftercare.core.api import api_actor
from aftercare.livelihoods.api.common import Resource, valid
from aftercare.livelihoods.models import Cohort, EnrolmentStatus, Household, PartnerEmployer
from aftercare.livelihoods.serializers.fields import PastDate, RegionCode, Version

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


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


class BeneficiariesView(Resource):
    output, body, write = BeneficiaryOut, BeneficiaryIn, Action.EDIT_CASE
    openapi = {
        "get": {"operation_id": "beneficiaries_list", "parameters": PAGING},
        "post": {"operation_id": "beneficiaries_create"},
    }

    def rows(self, actor):
        return services.beneficiaries(actor).order_by("-created_at")

    def create(self, actor, target, data):
        household_id = data.pop("household", None)
        if household_id:
            data["household"] = _household(actor, household_id)
        return services.register(actor, data)


def _household(actor, household_id) -> Household:
    household = Household.objects.filter(
        pk=household_id, organisation_id=actor.organisation_id
    ).first()
    if household is None:
        raise serializers.ValidationError(
            {"household": [_("Choose a household your organisation registered.")]}
        )
    return household


class BeneficiaryView(APIView):
    @extend_schema(operation_id="beneficiaries_retrieve", responses=BeneficiaryDetail)
    def get(self, request, beneficiary_id):
        beneficiary = services.get_beneficiary(api_actor(request), beneficiary_id)
        return Response(_detail(beneficiary))

    @extend_schema(
        operation_id="beneficiaries_partial_update",
        request=BeneficiaryPatch,
        responses=BeneficiaryOut,
    )
    def patch(self, request, beneficiary_id):
        actor = api_actor(request)
        beneficiary = services.beneficiary_to_record(actor, beneficiary_id)
        data = valid(BeneficiaryPatch, request, partial=True)
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": [_("Give the version you last read.")]})
        updated = services.update_profile(actor, beneficiary, data, version=version)
        return Response(BeneficiaryOut(updated).data)


def _detail(beneficiary) -> dict:
    data = {
        **{
            f: getattr(beneficiary, f)
            for f in (
                "id",
                "code",
                "given_name",
                "year_of_birth",
                "gender",
                "region",
                "household",
                "consents_to_enrolment",
                "consents_to_data_use",
                "version",
            )
        },
        **services.detail(beneficiary),
    }
    return BeneficiaryDetail(data).data


class _Recording(Resource):
    """A write on her record: the service decides who may (403/404) and what is valid (400/409)."""

    def to_record(self, actor, beneficiary_id, **ids):
        return services.beneficiary_to_record(actor, beneficiary_id)


class BeneficiaryConsentView(_Recording):
    output, body = ConsentOut, ConsentIn
    openapi = {"post": {"operation_id": "beneficiaries_consents_create"}}

    def create(self, actor, beneficiary, data):
        return services.record_consent(
            actor, beneficiary, data["purpose"], data["granted"], data["method"], data["given_by"]
        )


class BeneficiaryTrainingView(_Recording):
    output, body = TrainingOut, TrainingIn
    openapi = {"post": {"operation_id": "beneficiaries_training_create"}}

    def create(self, actor, beneficiary, data):
        return services.enrol_training(actor, beneficiary, data)


class BeneficiaryTrainingCompleteView(_Recording):
    output, body, created_status = TrainingOut, CompleteIn, 200
    openapi = {"post": {"operation_id": "beneficiaries_training_complete"}}

    def create(self, actor, beneficiary, data):
        return services.complete_training(actor, beneficiary, self.kwargs["enrolment_id"], **data)


class BeneficiaryJobsView(_Recording):
    output, body = JobOut, JobIn
    openapi = {"post": {"operation_id": "beneficiaries_jobs_create"}}

    def create(self, actor, beneficiary, data):
        return services.place_in_job(actor, beneficiary, data)


class BeneficiaryHousingView(_Recording):
    output, body = HousingOut, HousingIn
    openapi = {"post": {"operation_id": "beneficiaries_housing_create"}}

    def create(self, actor, beneficiary, data):
        return services.house(actor, beneficiary, data)


class BeneficiaryHouseholdView(_Recording):
    @extend_schema(
        operation_id="beneficiaries_household_update", request=HouseholdIn, responses=BeneficiaryOut
    )
    def put(self, request, beneficiary_id):
        actor = api_actor(request)
        beneficiary = self.to_record(actor, beneficiary_id)
        household_id = self.parse(HouseholdIn)["household"]
        household = _household(actor, household_id) if household_id else None
        return Response(BeneficiaryOut(services.join_household(actor, beneficiary, household)).data)
