"""Routes of prevention pages, under /prevention/ (aftercare.urls)."""

from django.urls import path

from aftercare.prevention.views import capture, community, schools


def route(address: str, view, name: str):
    """The page `view` at /prevention/`address`, named `prevention:<name>`."""
    return path(address, view, name=name)


app_name = "prevention"
urlpatterns = [
    route("", schools.home, "home"),
    route("indicators/", schools.indicator_page, "indicators"),
    route("schools/", schools.school_list, "schools"),
    route("schools/new/", schools.school_add, "school_add"),
    route("schools/<uuid:school_id>/", schools.school_detail, "school"),
    route("schools/<uuid:school_id>/sessions/new/", schools.session_add, "session_add"),
    route("schools/<uuid:school_id>/cases/new/", schools.case_add, "case_add"),
    route("school-cases/<uuid:case_id>/report/", schools.case_report, "case_report"),
    route("school-cases/<uuid:case_id>/follow-up/", schools.case_follow_up, "case_follow_up"),
    route("champions/", schools.champion_list, "champions"),
    route("champions/new/", schools.champion_add, "champion_add"),
    route("champions/trainings/new/", schools.training_add, "training_add"),
    route("champions/<uuid:champion_id>/", schools.champion_detail, "champion"),
    route(
        "champions/<uuid:champion_id>/activities/new/",
        schools.champion_activity_add,
        "champion_activity_add",
    ),
    route("activities/", community.activity_list, "activities"),
    route("activities/new/", community.activity_add, "activity_add"),
    route("activities/<uuid:activity_id>/", community.activity_detail, "activity"),
    route("campaigns/", community.campaign_list, "campaigns"),
    route("campaigns/new/", community.campaign_add, "campaign_add"),
    route("policy/", community.policy_list, "policy"),
    route("policy/new/", community.policy_add, "policy_add"),
    route("policy/<uuid:instrument_id>/advance/", community.policy_advance, "policy_advance"),
    route("surveys/", community.survey_list, "surveys"),
    route("surveys/new/", community.survey_define, "survey_define"),
    route("surveys/<uuid:survey_id>/", community.survey_detail, "survey"),
    route("surveys/<uuid:survey_id>/rounds/new/", community.round_add, "round_add"),
    route("capture/", capture.page, "capture"),
    route("capture/status", capture.status, "capture_status"),
    route("capture/submit", capture.submit, "capture_submit"),
    route("capture/<str:kind>/", capture.submit_form, "capture_form"),
    route("sw.js", capture.service_worker, "service_worker"),
    route("manifest.webmanifest", capture.manifest, "manifest"),
]
