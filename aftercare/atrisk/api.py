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
from aftercare.atrisk import access, services
from aftercare.atrisk.serializers import (
    BeneficiaryDetail,
    BeneficiaryIn,
    BeneficiaryOut,
    BeneficiaryPatch,
    CompleteIn,
    ConsentIn,
    ConsentOut,
    HouseholdIn,
    HousingIn,
    HousingOut,
    JobIn,
    JobOut,
    TrainingIn,
    TrainingOut,
)
from aftercare.core.api import api_actor
from aftercare.livelihoods.api.common import Resource, valid
from aftercare.livelihoods.models import Household

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


class BeneficiariesView(Resource):
    output, body, write = BeneficiaryOut, BeneficiaryIn, Action.EDIT_CASE
    openapi = {
        "get": {"operation_id": "beneficiaries_list", "parameters": PAGING},
        "post": {"operation_id": "beneficiaries_create"},
    }

    def rows(self, actor):
        return access.beneficiaries(actor).order_by("-created_at")

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
        beneficiary = access.get_beneficiary(api_actor(request), beneficiary_id)
        return Response(_detail(beneficiary))

    @extend_schema(
        operation_id="beneficiaries_partial_update",
        request=BeneficiaryPatch,
        responses=BeneficiaryOut,
    )
    def patch(self, request, beneficiary_id):
        actor = api_actor(request)
        beneficiary = access.beneficiary_to_record(actor, beneficiary_id)
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
        return access.beneficiary_to_record(actor, beneficiary_id)


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
