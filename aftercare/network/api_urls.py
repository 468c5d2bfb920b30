"""The directory routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.network import api

urlpatterns = [
    path("service-domains", api.ServiceDomainsView.as_view(), name="service-domains"),
    path("organisations", api.OrganisationListView.as_view(), name="organisations"),
    path(
        "organisations/<str:organisation_id>",
        api.OrganisationDetailView.as_view(),
        name="organisation",
    ),
    path(
        "organisations/<str:organisation_id>/capacity/<str:service>",
        api.CapacityView.as_view(),
        name="organisation-capacity",
    ),
]
