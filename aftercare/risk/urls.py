from django.urls import path

from aftercare.risk import views

app_name = "risk"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<str:alert_id>/acknowledge/", views.acknowledge, name="acknowledge_alert"),
    path("<str:survivor_id>/", views.survivor_risk, name="survivor"),
    path("<str:survivor_id>/assess/", views.assess, name="assess"),
    path("<str:survivor_id>/measures/<slug:code>/", views.record_measure, name="record_measure"),
]
