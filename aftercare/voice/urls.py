"""Routes of survivor voice, included at the site root by aftercare.urls: the portal under
/me/, the public feedback page at /feedback/, and the staff pages under /voice/."""

from django.urls import path

from aftercare.voice import portal_views, staff_views

app_name = "voice"
urlpatterns = [
    path("me/", portal_views.home, name="portal"),
    path("me/sign-in/", portal_views.sign_in, name="sign_in"),
    path("me/sign-out/", portal_views.sign_out, name="sign_out"),
    path("me/exit/", portal_views.quick_exit, name="quick_exit"),
    path("me/language/", portal_views.language, name="language"),
    path("me/goals/<uuid:goal_id>/comment/", portal_views.comment, name="comment"),
    path("me/consent/", portal_views.consents, name="consents"),
    path("me/consent/withdraw/", portal_views.withdraw, name="withdraw"),
    path("me/referrals/", portal_views.referrals, name="referrals"),
    path("me/my-information/", portal_views.data, name="data"),
    path("me/rate/", portal_views.rate_list, name="rate_list"),
    path("me/rate/<uuid:service_id>/", portal_views.rate, name="rate"),
    path("me/pin/", portal_views.change_pin, name="pin"),
    path("feedback/", portal_views.feedback, name="feedback"),
    path("voice/cases/<str:survivor_id>/", staff_views.case_voice, name="case"),
    path("voice/cases/<str:survivor_id>/account/", staff_views.link_account, name="link_account"),
    path("voice/cases/<str:survivor_id>/account/pin/", staff_views.reset_pin, name="reset_pin"),
    path("voice/cases/<str:survivor_id>/account/close/", staff_views.close_account, name="close_account"),
    path("voice/cases/<str:survivor_id>/services/<uuid:service_id>/code/", staff_views.issue_code, name="issue_code"),
    path("voice/duty-bearers/", staff_views.duty_bearers, name="duty_bearers"),
    path("voice/duty-bearers/options/", staff_views.duty_bearer_options, name="duty_bearer_options"),
    path("voice/duty-bearers/new/", staff_views.duty_bearer_add, name="duty_bearer_add"),
    path("voice/duty-bearers/<uuid:duty_bearer_id>/", staff_views.duty_bearer_edit, name="duty_bearer_edit"),
    path("voice/performance/", staff_views.performance, name="performance"),
    path("voice/performance/<uuid:subject_id>/", staff_views.performance_subject, name="performance_subject"),
    path("voice/performance/<uuid:subject_id>/highlight/", staff_views.highlight, name="highlight"),
    path("voice/highlights/<uuid:practice_id>/retire/", staff_views.retire_highlight, name="retire_highlight"),
    path("voice/moderation/", staff_views.moderation_queue, name="moderation"),
    path("voice/moderation/<uuid:rating_id>/", staff_views.moderate, name="moderate"),
    path("voice/moderation/flags/<uuid:flag_id>/", staff_views.review_flag, name="review_flag"),
]
