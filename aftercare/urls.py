from django.urls import include, path

from aftercare.core import views as core_views
from aftercare.core import work_api

api_v1 = [
    path("my-work", work_api.MyWorkView.as_view(), name="my-work"),
    path("", include("aftercare.network.api_urls")),
    path("", include("aftercare.cases.api_urls")),
    path("", include("aftercare.referrals.api_urls")),
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
    path("", include("aftercare.core.api_urls")),
]

urlpatterns = [
    path("", core_views.dashboard, name="home"),
    path("", include("aftercare.core.urls")),
    path("accounts/", include("aftercare.accounts.urls")),
    path("cases/", include("aftercare.cases.urls")),
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
