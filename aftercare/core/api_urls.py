"""The API's own routes (its OpenAPI schema and the docs that read it), included into the `api`
namespace by aftercare.urls."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:openapi"), name="docs"),
]
