"""The prevention routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.prevention.api import capture as api_capture
from aftercare.prevention.api import programme as api
from aftercare.prevention.api import surveys as api_surveys


def route(address: str, view, name: str):
    """`view` at /api/v1/prevention/`address`, named `api:prevention-<name>`."""
    return path("prevention/" + address, view.as_view(), name="prevention-" + name)


urlpatterns = [
    route("schools", api.SchoolsView, "schools"),
    route("schools/<str:school_id>", api.SchoolDetailView, "school"),
    route("schools/<str:school_id>/sessions", api.SessionsView, "school-sessions"),
    route("schools/<str:school_id>/cases", api.SchoolCasesView, "school-cases"),
    route("school-cases/<str:case_id>/report", api.ReportCaseView, "case-report"),
    route("school-cases/<str:case_id>/follow-ups", api.FollowUpsView, "case-follow-ups"),
    route("champions", api.ChampionsView, "champions"),
    route("champions/<str:champion_id>", api.ChampionDetailView, "champion"),
    route(
        "champions/<str:champion_id>/activities", api.ChampionActivitiesView, "champion-activities"
    ),
    route("champion-trainings", api.TrainingsView, "trainings"),
    route("activities", api.ActivitiesView, "activities"),
    route("activities/<str:activity_id>", api.ActivityDetailView, "activity"),
    route("activities/<str:activity_id>/attendance", api.AttendanceView, "attendance"),
    route("campaigns", api.CampaignsView, "campaigns"),
    route("policy-instruments", api.InstrumentsView, "instruments"),
    route("policy-instruments/<str:instrument_id>", api.InstrumentDetailView, "instrument"),
    route("policy-instruments/<str:instrument_id>/advance", api.AdvanceView, "advance"),
    route("surveys", api_surveys.SurveysView, "surveys"),
    route("surveys/<str:survey_id>", api_surveys.SurveyDetailView, "survey"),
    route("surveys/<str:survey_id>/rounds", api_surveys.RoundsView, "survey-rounds"),
    route("surveys/<str:survey_id>/change", api_surveys.ChangeView, "survey-change"),
    route("survey-rounds/<str:round_id>/responses", api_surveys.ResponsesView, "round-responses"),
    route("submissions", api_capture.SubmissionsView, "submissions"),
    route("indicators", api_surveys.IndicatorsView, "indicators"),
]
