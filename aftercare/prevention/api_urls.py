"""The prevention routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.prevention.api import capture as api_capture
from aftercare.prevention.api import programme as api
from aftercare.prevention.api import surveys as api_surveys

P = "prevention/"
urlpatterns = [
    path(P + "schools", api.SchoolsView.as_view(), name="prevention-schools"),
    path(P + "schools/<str:school_id>", api.SchoolDetailView.as_view(), name="prevention-school"),
    path(
        P + "schools/<str:school_id>/sessions",
        api.SessionsView.as_view(),
        name="prevention-school-sessions",
    ),
    path(
        P + "schools/<str:school_id>/cases",
        api.SchoolCasesView.as_view(),
        name="prevention-school-cases",
    ),
    path(
        P + "school-cases/<str:case_id>/report",
        api.ReportCaseView.as_view(),
        name="prevention-case-report",
    ),
    path(
        P + "school-cases/<str:case_id>/follow-ups",
        api.FollowUpsView.as_view(),
        name="prevention-case-follow-ups",
    ),
    path(P + "champions", api.ChampionsView.as_view(), name="prevention-champions"),
    path(
        P + "champions/<str:champion_id>",
        api.ChampionDetailView.as_view(),
        name="prevention-champion",
    ),
    path(
        P + "champions/<str:champion_id>/activities",
        api.ChampionActivitiesView.as_view(),
        name="prevention-champion-activities",
    ),
    path(P + "champion-trainings", api.TrainingsView.as_view(), name="prevention-trainings"),
    path(P + "activities", api.ActivitiesView.as_view(), name="prevention-activities"),
    path(
        P + "activities/<str:activity_id>",
        api.ActivityDetailView.as_view(),
        name="prevention-activity",
    ),
    path(
        P + "activities/<str:activity_id>/attendance",
        api.AttendanceView.as_view(),
        name="prevention-attendance",
    ),
    path(P + "campaigns", api.CampaignsView.as_view(), name="prevention-campaigns"),
    path(P + "policy-instruments", api.InstrumentsView.as_view(), name="prevention-instruments"),
    path(
        P + "policy-instruments/<str:instrument_id>",
        api.InstrumentDetailView.as_view(),
        name="prevention-instrument",
    ),
    path(
        P + "policy-instruments/<str:instrument_id>/advance",
        api.AdvanceView.as_view(),
        name="prevention-advance",
    ),
    path(P + "surveys", api_surveys.SurveysView.as_view(), name="prevention-surveys"),
    path(
        P + "surveys/<str:survey_id>",
        api_surveys.SurveyDetailView.as_view(),
        name="prevention-survey",
    ),
    path(
        P + "surveys/<str:survey_id>/rounds",
        api_surveys.RoundsView.as_view(),
        name="prevention-survey-rounds",
    ),
    path(
        P + "surveys/<str:survey_id>/change",
        api_surveys.ChangeView.as_view(),
        name="prevention-survey-change",
    ),
    path(
        P + "survey-rounds/<str:round_id>/responses",
        api_surveys.ResponsesView.as_view(),
        name="prevention-round-responses",
    ),
    path(P + "submissions", api_capture.SubmissionsView.as_view(), name="prevention-submissions"),
    path(P + "indicators", api_surveys.IndicatorsView.as_view(), name="prevention-indicators"),
]
