from django.urls import include, path

from aftercare.casefile import urls as casefile_urls

api_v1 = [
    path("", include("aftercare.casefile.api_urls")),
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
    path("", include(casefile_urls.home)),  # the dashboard at the site's root
    path("", include(casefile_urls.core)),  # core's routes and the dashboard, composed in casefile
    path("accounts/", include("aftercare.accounts.urls")),
    path(
        "cases/", include(casefile_urls.cases)
    ),  # the case file's routes and the composed case pages
    path("network/", include("aftercare.network.urls")),
    path("audit/", include("aftercare.accounts.audit_urls")),
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

handler403 = "aftercare.core.views.site.forbidden"
handler404 = "aftercare.core.views.site.not_found"
