"""The mentoring routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.mentoring import api

S = "survivors/<str:survivor_id>/"

urlpatterns = [
    path("mentors", api.MentorsView.as_view(), name="mentors"),
    path(S + "mentoring", api.MentoringView.as_view(), name="survivor-mentoring"),
    path(
        S + "mentoring/<str:match_id>/sessions",
        api.SessionsView.as_view(),
        name="survivor-mentoring-sessions",
    ),
    path(S + "leadership", api.LeadershipView.as_view(), name="survivor-leadership"),
]
