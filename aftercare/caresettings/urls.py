from django.urls import path

from aftercare.caresettings import views

app_name = "caresettings"

urlpatterns = [
    path("cases/<str:survivor_id>/", views.case, name="case"),
    path("cases/<str:survivor_id>/add/", views.add, name="add"),
    path("cases/<str:survivor_id>/<str:setting_id>/end/", views.end, name="end"),
    path("cases/<str:survivor_id>/<str:setting_id>/lawyer/", views.lawyer, name="lawyer"),
    path("costs/", views.costs, name="costs"),
    path("costs/<str:cost_id>/remove/", views.remove_cost, name="remove_cost"),
    path("report/", views.report, name="report"),
    path("report.<str:fmt>", views.report_download, name="report_download"),
]
