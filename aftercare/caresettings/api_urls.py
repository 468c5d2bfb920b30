"""The care-settings routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.caresettings import api

urlpatterns = [
    path(
        "survivors/<str:survivor_id>/care-settings",
        api.CareSettingsView.as_view(),
        name="survivor-care-settings",
    ),
    path(
        "survivors/<str:survivor_id>/care-settings/<str:setting_id>",
        api.CareSettingView.as_view(),
        name="survivor-care-setting",
    ),
    path("programme-costs", api.CostsView.as_view(), name="programme-costs"),
    path(
        "reports/care-settings", api.CareSettingsReportView.as_view(), name="report-care-settings"
    ),
]
