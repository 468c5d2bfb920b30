"""The HTCDS routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.interop import api

urlpatterns = [
    path("exports/htcds.xlsx", api.HtcdsExportView.as_view(file_format="xlsx"), name="htcds-export-xlsx"),
    path("exports/htcds.json", api.HtcdsJsonExportView.as_view(), name="htcds-export-json"),
    path("imports/htcds", api.HtcdsImportView.as_view(), name="htcds-import"),
    path("openrosa/submission", api.OpenRosaSubmissionView.as_view(), name="openrosa-submission"),
    path("openrosa/key/<str:token>/submission", api.OpenRosaSubmissionView.as_view(), name="openrosa-key-submission"),
    path("htcds/kobo", api.KoboSubmissionView.as_view(), name="htcds-kobo"),
]
