from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from aftercare.accounts import api as accounts_api
from aftercare.casefile import api as casefile_api
from aftercare.casefile import urls as casefile_urls
from aftercare.casefile import views as casefile_views
from aftercare.cases import api as cases_api
from aftercare.cases import assignment_api
from aftercare.network import api as network_api
from aftercare.referrals import api as referrals_api

api_v1 = [
    path("auth/token", accounts_api.TokenView.as_view(), name="token"),
    path("me", accounts_api.MeView.as_view(), name="me"),
    path("my-work", casefile_api.MyWorkView.as_view(), name="my-work"),
    path("service-domains", network_api.ServiceDomainsView.as_view(), name="service-domains"),
    path("organisations", network_api.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<str:organisation_id>", network_api.OrganisationDetailView.as_view(), name="organisation"),
    path(
        "organisations/<str:organisation_id>/capacity/<str:service>",
        network_api.CapacityView.as_view(),
        name="organisation-capacity",
    ),
    path("survivors", cases_api.SurvivorListView.as_view(), name="survivors"),
    path("survivors/<str:survivor_id>", cases_api.SurvivorDetailView.as_view(), name="survivor"),
    path("survivors/<str:survivor_id>/merge", casefile_api.MergeView.as_view(), name="survivor-merge"),
    path("duplicate-check", cases_api.DuplicateCheckView.as_view(), name="duplicate-check"),
    path("survivors/<str:survivor_id>/consents", cases_api.ConsentView.as_view(), name="survivor-consents"),
    path("survivors/<str:survivor_id>/needs-assessments", cases_api.NeedsView.as_view(), name="survivor-needs"),
    path("survivors/<str:survivor_id>/goals", cases_api.GoalsView.as_view(), name="survivor-goals"),
    path("survivors/<str:survivor_id>/services", cases_api.ServicesView.as_view(), name="survivor-services"),
    path("survivors/<str:survivor_id>/assignment", assignment_api.AssignmentView.as_view(), name="survivor-assignment"),
    path("caseload/workers", assignment_api.WorkloadView.as_view(), name="caseload-workers"),
    path("referrals", referrals_api.ReferralListView.as_view(), name="referrals"),
    path("referrals/<str:referral_id>", referrals_api.ReferralDetailView.as_view(), name="referral"),
    path("referrals/<str:referral_id>/approve-transfer", referrals_api.ApproveTransferView.as_view(),
         name="referral-approve-transfer"),
    *[
        path(f"referrals/<str:referral_id>/{action}", referrals_api.transition_view(action), name=f"referral-{action}")
        for action in ("accept", "decline", "start", "complete", "cancel")
    ],
    path("", include("aftercare.accounts.api_urls")),
    path("", include("aftercare.risk.api_urls")),
    path("", include("aftercare.voice.api_urls")),
    path("", include("aftercare.livelihoods.api_urls")),
    path("", include("aftercare.interop.api_urls")),
    path("", include("aftercare.prevention.api_urls")),
    path("", include("aftercare.reports.api_urls")),
    path("", include("aftercare.caresettings.api_urls")),
    path("", include("aftercare.mentoring.api_urls")),
    path("", include("aftercare.atrisk.api_urls")),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:openapi"), name="docs"),
]

urlpatterns = [
    path("", casefile_views.dashboard, name="home"),
    path("", include(casefile_urls.core)),  # core's routes and the dashboard, composed in casefile
    path("accounts/", include("aftercare.accounts.urls")),
    path("cases/", include(casefile_urls.cases)),  # the case file's routes and the composed case pages
    path("network/", include("aftercare.network.urls")),
    path("audit/", include("aftercare.audit.urls")),
    path("risk/", include("aftercare.risk.urls")),
    path("referrals/", include("aftercare.referrals.urls")),
    path("interop/", include("aftercare.interop.urls")),
    path("reports/", include("aftercare.reports.urls")),
    path("", include("aftercare.voice.urls")),  # /me/ (survivor portal), /feedback/, /voice/
    path("", include("aftercare.livelihoods.urls")),  # /livelihoods/, /me/earnings/
    path("prevention/", include("aftercare.prevention.urls")),
    path("care-settings/", include("aftercare.caresettings.urls")),
    path("", include("aftercare.mentoring.urls")),  # /mentoring/, /me/mentor/
    path("", include("aftercare.atrisk.urls")),  # /at-risk/
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),
]

handler403 = "aftercare.core.views.forbidden"
handler404 = "aftercare.core.views.not_found"
