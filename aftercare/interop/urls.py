from django.urls import path

from aftercare.interop import views

app_name = "interop"
urlpatterns = [
    path("htcds/", views.htcds, name="htcds"),
    path("htcds/export.<str:file_format>", views.export, name="htcds_export"),
    path("htcds/import/", views.upload, name="htcds_import"),
    path("htcds/import/commit/", views.commit, name="htcds_import_commit"),
]
