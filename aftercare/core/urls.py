from django.urls import path

from aftercare.core import views

app_name = "core"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health", views.health, name="health"),
]
