"""The at-risk routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.atrisk import api

urlpatterns = [
    path("beneficiaries", api.BeneficiariesView.as_view(), name="beneficiaries"),
    path("beneficiaries/<str:beneficiary_id>", api.BeneficiaryView.as_view(), name="beneficiary"),
    path(
        "beneficiaries/<str:beneficiary_id>/consents",
        api.BeneficiaryConsentView.as_view(),
        name="beneficiary-consents",
    ),
    path(
        "beneficiaries/<str:beneficiary_id>/training",
        api.BeneficiaryTrainingView.as_view(),
        name="beneficiary-training",
    ),
    path(
        "beneficiaries/<str:beneficiary_id>/training/<str:enrolment_id>/complete",
        api.BeneficiaryTrainingCompleteView.as_view(),
        name="beneficiary-training-complete",
    ),
    path(
        "beneficiaries/<str:beneficiary_id>/jobs",
        api.BeneficiaryJobsView.as_view(),
        name="beneficiary-jobs",
    ),
    path(
        "beneficiaries/<str:beneficiary_id>/housing",
        api.BeneficiaryHousingView.as_view(),
        name="beneficiary-housing",
    ),
    path(
        "beneficiaries/<str:beneficiary_id>/household",
        api.BeneficiaryHouseholdView.as_view(),
        name="beneficiary-household",
    ),
]
