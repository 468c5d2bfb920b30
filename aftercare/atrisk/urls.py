from django.urls import path

from aftercare.atrisk import views

app_name = "atrisk"

B = "at-risk/<str:beneficiary_id>/"

urlpatterns = [
    path("at-risk/", views.beneficiary_list, name="list"),
    path("at-risk/new/", views.create, name="create"),
    path(B, views.detail, name="detail"),
    path(B + "edit/", views.edit, name="edit"),
    path(B + "training/", views.training, name="training"),
    path(
        B + "training/<str:enrolment_id>/complete/",
        views.complete_training,
        name="complete_training",
    ),
    path(B + "jobs/", views.job, name="job"),
    path(B + "housing/", views.housing, name="housing"),
    path(B + "household/", views.household, name="household"),
    path(B + "consent/", views.consent, name="consent"),
]
