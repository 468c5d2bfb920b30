"""The HTCDS routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.interop import api

# ODK Collect's server URL is /api/v1/openrosa (Basic) or /api/v1/openrosa/key/TOKEN: the same
# routes under each.
OPENROSA = [
    ("formList", api.OpenRosaFormListView, "formlist"),
    ("forms/<str:form_id>.xml", api.OpenRosaFormView, "form"),
    ("forms/<str:form_id>/manifest", api.OpenRosaManifestView, "manifest"),
    ("submission", api.OpenRosaSubmissionView, "submission"),
]

urlpatterns = [
    path(
        "exports/htcds.xlsx",
        api.HtcdsExportView.as_view(file_format="xlsx"),
        name="htcds-export-xlsx",
    ),
    path("exports/htcds.json", api.HtcdsJsonExportView.as_view(), name="htcds-export-json"),
    path("imports/htcds", api.HtcdsImportView.as_view(), name="htcds-import"),
    *(
        path(f"openrosa/{route}", view.as_view(), name=f"openrosa-{name}")
        for route, view, name in OPENROSA
    ),
    *(
        path(f"openrosa/key/<str:token>/{route}", view.as_view(), name=f"openrosa-key-{name}")
        for route, view, name in OPENROSA
    ),
    path("htcds/kobo", api.KoboSubmissionView.as_view(), name="htcds-kobo"),
]
