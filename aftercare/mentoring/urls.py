from django.urls import path

from aftercare.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("mentoring/cases/<str:survivor_id>/", views.case, name="case"),
    path("mentoring/cases/<str:survivor_id>/match/", views.match, name="match"),
    path(
        "mentoring/cases/<str:survivor_id>/match/<str:match_id>/end/",
        views.end_match,
        name="end_match",
    ),
    path(
        "mentoring/cases/<str:survivor_id>/match/<str:match_id>/session/",
        views.session,
        name="session",
    ),
    path("mentoring/cases/<str:survivor_id>/roles/", views.role, name="role"),
    path("mentoring/mentors/", views.mentors, name="mentors"),
    path("me/mentor/", views.portal, name="portal"),
]
