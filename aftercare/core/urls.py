from django.urls import path

from aftercare.core import metrics
from aftercare.core.views import notifications as notification_views
from aftercare.core.views import ops as ops_views
from aftercare.core.views import site as views

app_name = "core"
urlpatterns = [
    path("health", views.health, name="health"),
    path("ready", ops_views.ready, name="ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("bench/floor", ops_views.bench_floor, name="bench_floor"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications_read"),
]
