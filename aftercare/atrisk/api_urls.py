"""The at-risk routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.atrisk import api

urlpatterns = [
    path("beneficiaries", api.BeneficiariesView.as_view(), name="beneficiaries"),
    path("beneficiaries/<str:beneficiary_id>", api.BeneficiaryView.as_view(), name="beneficiary"),
]
