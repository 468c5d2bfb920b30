"""The composed pages keep the names their users know: the case page is `cases:detail`, the
dashboard `core:dashboard`. Each namespace is the domain's own routes plus the pages composed
here, included once from `aftercare.urls`; the fixed paths of the domain come first, so that
`cases/workload/` is not read as a case id."""

from django.urls import path

from aftercare.casefile import forms_on_open, page, views
from aftercare.cases import urls as cases_urls
from aftercare.core import urls as core_urls

cases = (
    [
        path("", views.case_list, name="list"),
        *cases_urls.urlpatterns,
        path("<str:survivor_id>/", views.case_detail, name="detail"),
        path(
            "<str:survivor_id>/panels/risk/", views.case_panel, {"name": "risk"}, name="risk_panel"
        ),
        path(
            "<str:survivor_id>/panels/livelihood/",
            views.case_panel,
            {"name": "livelihood"},
            name="livelihood_panel",
        ),
        path(
            "<str:survivor_id>/panels/history/",
            views.case_panel,
            {"name": "history"},
            name="history_panel",
        ),
        # The case page's forms, each read when its section is opened (issue 18): one route
        # per form, `cases:<name>_form`, as the panels have one each.
        *(
            path(
                f"<str:survivor_id>/forms/{name}/",
                forms_on_open.case_form,
                {"name": name},
                name=f"{name}_form",
            )
            for name in page.FORMS
        ),
        path("<str:survivor_id>/merge/", views.merge, name="merge"),
        path("<str:survivor_id>/assignment/", views.reassign, name="reassign"),
    ],
    cases_urls.app_name,
)

home = [path("", views.dashboard, name="home")]

core = (
    [
        path("dashboard/", views.dashboard, name="dashboard"),
        *core_urls.urlpatterns,
    ],
    core_urls.app_name,
)
