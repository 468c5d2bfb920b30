"""The risk routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.risk import api

urlpatterns = [
    path("risk-instrument", api.RiskInstrumentView.as_view(), name="risk-instrument"),
    path("measures", api.MeasuresView.as_view(), name="measures"),
    path("risk-alerts", api.RiskAlertsView.as_view(), name="risk-alerts"),
    path(
        "risk-alerts/<str:alert_id>/acknowledge",
        api.AcknowledgeAlertView.as_view(),
        name="risk-alert-acknowledge",
    ),
    path(
        "survivors/<str:survivor_id>/risk-assessments",
        api.SurvivorRiskAssessmentsView.as_view(),
        name="survivor-risk-assessments",
    ),
    path(
        "survivors/<str:survivor_id>/measures",
        api.SurvivorMeasurementsView.as_view(),
        name="survivor-measures",
    ),
]
