"""The survivor-voice routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.voice import api

urlpatterns = [
    path("feedback", api.FeedbackView.as_view(), name="feedback"),
    path("sms/inbound", api.SmsInboundView.as_view(), name="sms-inbound"),
    path("sms/twilio", api.TwilioSmsView.as_view(), name="sms-twilio"),
    path(
        "sms/africastalking/<str:secret>",
        api.AfricasTalkingSmsView.as_view(),
        name="sms-africastalking",
    ),
    path(
        "reports/provider-performance",
        api.ProviderPerformanceView.as_view(),
        name="provider-performance",
    ),
    path(
        "reports/provider-performance/<str:subject_id>",
        api.ProviderPerformanceSubjectView.as_view(),
        name="provider-performance-subject",
    ),
    path("duty-bearers", api.DutyBearersView.as_view(), name="duty-bearers"),
]
