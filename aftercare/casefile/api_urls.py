"""The composed API routes of /api/v1/ (the work queue, and merging two case files), included
into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.casefile import api

urlpatterns = [
    path("my-work", api.MyWorkView.as_view(), name="my-work"),
    path("survivors/<str:survivor_id>/merge", api.MergeView.as_view(), name="survivor-merge"),
]
