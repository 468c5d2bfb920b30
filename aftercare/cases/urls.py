from django.urls import path

from aftercare.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.intake, name="intake"),
    path("<str:survivor_id>/", views.case_detail, name="detail"),
]
