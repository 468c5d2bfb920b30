from django.urls import path

from aftercare.network import views

app_name = "network"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("regions/suggest/", views.region_suggestions, name="region_suggestions"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/edit/", views.edit_profile, name="edit_profile"),
    path("<slug:slug>/capacity/", views.edit_capacity, name="edit_capacity"),
]
