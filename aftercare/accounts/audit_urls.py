"""The audit trail's page, under /audit/ (aftercare.urls), in the `audit` namespace it always had.
The page is accounts' (an organisation's administration, with its members and security); the
trail itself is audit's."""

from django.urls import path

from aftercare.accounts.views import account as views

app_name = "audit"
urlpatterns = [path("", views.audit_trail, name="trail")]
