from django.urls import path

from aftercare.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("indicators/", views.indicators_page, name="indicators"),
    path("indicators/download.<str:fmt>", views.indicators_download, name="indicators_download"),
    path("gaps/", views.gaps_page, name="gaps"),
    path("gaps/cell/", views.gap_cell, name="gap_cell"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/start/", views.start_export, name="start_export"),
    path("exports/<str:job_id>/", views.export_page, name="export"),
    path("exports/<str:job_id>/status/", views.export_status, name="export_status"),
    path("download/<str:token>/", views.download, name="download"),
]
