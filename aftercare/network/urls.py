from django.urls import path

from aftercare.network import views

app_name = "network"
urlpatterns = [path("", views.directory, name="directory")]
