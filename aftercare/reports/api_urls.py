"""The reports routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.reports import api

urlpatterns = [
    path("reports/indicators", api.IndicatorsView.as_view(), name="report-indicators"),
    path("exports/ctdc.csv", api.CtdcExportView.as_view(), name="export-ctdc"),
]
