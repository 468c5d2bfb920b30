"""The case routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.cases.api import assignment as assignment_api
from aftercare.cases.api import survivors as api

urlpatterns = [
    path("survivors", api.SurvivorListView.as_view(), name="survivors"),
    path("survivors/<str:survivor_id>", api.SurvivorDetailView.as_view(), name="survivor"),
    path("duplicate-check", api.DuplicateCheckView.as_view(), name="duplicate-check"),
    path(
        "survivors/<str:survivor_id>/consents", api.ConsentView.as_view(), name="survivor-consents"
    ),
    path(
        "survivors/<str:survivor_id>/needs-assessments",
        api.NeedsView.as_view(),
        name="survivor-needs",
    ),
    path("survivors/<str:survivor_id>/goals", api.GoalsView.as_view(), name="survivor-goals"),
    path(
        "survivors/<str:survivor_id>/services", api.ServicesView.as_view(), name="survivor-services"
    ),
    path(
        "survivors/<str:survivor_id>/assignment",
        assignment_api.AssignmentView.as_view(),
        name="survivor-assignment",
    ),
    path("caseload/workers", assignment_api.WorkloadView.as_view(), name="caseload-workers"),
]
