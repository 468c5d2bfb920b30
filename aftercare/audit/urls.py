from django.urls import path

from aftercare.audit import views

app_name = "audit"
urlpatterns = [path("", views.trail, name="trail")]
