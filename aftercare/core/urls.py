from django.urls import path

from aftercare.core import notification_views, views

app_name = "core"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health", views.health, name="health"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications_read"),
]
