from django.urls import path

from aftercare.cases.views import case as views
from aftercare.cases.views import imports as import_views

# Served under the `cases` namespace together with the composed case pages (the list, the case
# page, its panels, merging, handing over): see `aftercare.casefile.urls`.
app_name = "cases"
urlpatterns = [
    path("new/", views.intake, name="intake"),
    path("import/", import_views.upload, name="import"),
    path("import/commit/", import_views.commit, name="import_commit"),
    path("import/template.xlsx", import_views.template, name="import_template"),
    path("workload/", views.workload, name="workload"),
    path("<str:survivor_id>/edit/", views.edit_profile, name="edit"),
    path("<str:survivor_id>/status/", views.change_status, name="status"),
    path("<str:survivor_id>/consent/", views.add_consent, name="consent"),
    path("<str:survivor_id>/needs/", views.assess_needs, name="needs"),
    path("<str:survivor_id>/goals/", views.add_goal, name="goal_add"),
    path("<str:survivor_id>/goals/<uuid:goal_id>/", views.update_goal, name="goal_update"),
    path("<str:survivor_id>/reviews/", views.add_review, name="review_add"),
    path("<str:survivor_id>/services/", views.add_service, name="service_add"),
    path("<str:survivor_id>/notes/", views.add_note, name="note_add"),
    path("<str:survivor_id>/documents/", views.add_document, name="document_add"),
    path(
        "<str:survivor_id>/documents/<uuid:document_id>/", views.download_document, name="document"
    ),
    path("<str:survivor_id>/legal/", views.save_legal, name="legal_add"),
    path("<str:survivor_id>/legal/<uuid:legal_id>/", views.save_legal, name="legal_update"),
]
