"""Routes of prevention pages, under /prevention/ (aftercare.urls)."""

from django.urls import path

from aftercare.prevention.views import capture as capture_views
from aftercare.prevention.views import community as views_community
from aftercare.prevention.views import schools as views

app_name = "prevention"
urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicator_page, name="indicators"),
    path("schools/", views.school_list, name="schools"),
    path("schools/new/", views.school_add, name="school_add"),
    path("schools/<uuid:school_id>/", views.school_detail, name="school"),
    path("schools/<uuid:school_id>/sessions/new/", views.session_add, name="session_add"),
    path("schools/<uuid:school_id>/cases/new/", views.case_add, name="case_add"),
    path("school-cases/<uuid:case_id>/report/", views.case_report, name="case_report"),
    path("school-cases/<uuid:case_id>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("champions/", views.champion_list, name="champions"),
    path("champions/new/", views.champion_add, name="champion_add"),
    path("champions/trainings/new/", views.training_add, name="training_add"),
    path("champions/<uuid:champion_id>/", views.champion_detail, name="champion"),
    path(
        "champions/<uuid:champion_id>/activities/new/",
        views.champion_activity_add,
        name="champion_activity_add",
    ),
    path("activities/", views_community.activity_list, name="activities"),
    path("activities/new/", views_community.activity_add, name="activity_add"),
    path("activities/<uuid:activity_id>/", views_community.activity_detail, name="activity"),
    path("campaigns/", views_community.campaign_list, name="campaigns"),
    path("campaigns/new/", views_community.campaign_add, name="campaign_add"),
    path("policy/", views_community.policy_list, name="policy"),
    path("policy/new/", views_community.policy_add, name="policy_add"),
    path(
        "policy/<uuid:instrument_id>/advance/",
        views_community.policy_advance,
        name="policy_advance",
    ),
    path("surveys/", views_community.survey_list, name="surveys"),
    path("surveys/new/", views_community.survey_define, name="survey_define"),
    path("surveys/<uuid:survey_id>/", views_community.survey_detail, name="survey"),
    path("surveys/<uuid:survey_id>/rounds/new/", views_community.round_add, name="round_add"),
    path("capture/", capture_views.page, name="capture"),
    path("capture/status", capture_views.status, name="capture_status"),
    path("capture/submit", capture_views.submit, name="capture_submit"),
    path("capture/<str:kind>/", capture_views.submit_form, name="capture_form"),
    path("sw.js", capture_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", capture_views.manifest, name="manifest"),
]
