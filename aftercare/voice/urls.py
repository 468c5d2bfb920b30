"""Routes of survivor voice, included at the site root by aftercare.urls: the portal under
/me/, the public feedback page at /feedback/, and the staff pages under /voice/."""

from django.urls import path

from aftercare.voice.views import portal, staff

app_name = "voice"
urlpatterns = [
    path("me/", portal.home, name="portal"),
    path("me/sign-in/", portal.sign_in, name="sign_in"),
    path("me/sign-out/", portal.sign_out, name="sign_out"),
    path("me/exit/", portal.quick_exit, name="quick_exit"),
    path("me/language/", portal.language, name="language"),
    path("me/goals/<uuid:goal_id>/comment/", portal.comment, name="comment"),
    path("me/consent/", portal.consents, name="consents"),
    path("me/consent/withdraw/", portal.withdraw, name="withdraw"),
    path("me/referrals/", portal.referrals, name="referrals"),
    path("me/my-information/", portal.data, name="data"),
    path("me/rate/", portal.rate_list, name="rate_list"),
    path("me/rate/<uuid:service_id>/", portal.rate, name="rate"),
    path("me/pin/", portal.change_pin, name="pin"),
    path("feedback/", portal.feedback, name="feedback"),
    path("voice/cases/<str:survivor_id>/", staff.case_voice, name="case"),
    path("voice/cases/<str:survivor_id>/account/", staff.link_account, name="link_account"),
    path("voice/cases/<str:survivor_id>/account/pin/", staff.reset_pin, name="reset_pin"),
    path("voice/cases/<str:survivor_id>/account/close/", staff.close_account, name="close_account"),
    path(
        "voice/cases/<str:survivor_id>/services/<uuid:service_id>/code/",
        staff.issue_code,
        name="issue_code",
    ),
    path("voice/duty-bearers/", staff.duty_bearers, name="duty_bearers"),
    path("voice/duty-bearers/options/", staff.duty_bearer_options, name="duty_bearer_options"),
    path("voice/duty-bearers/new/", staff.duty_bearer_add, name="duty_bearer_add"),
    path(
        "voice/duty-bearers/<uuid:duty_bearer_id>/", staff.duty_bearer_edit, name="duty_bearer_edit"
    ),
    path("voice/performance/", staff.performance, name="performance"),
    path(
        "voice/performance/<uuid:subject_id>/",
        staff.performance_subject,
        name="performance_subject",
    ),
    path("voice/performance/<uuid:subject_id>/highlight/", staff.highlight, name="highlight"),
    path(
        "voice/highlights/<uuid:practice_id>/retire/",
        staff.retire_highlight,
        name="retire_highlight",
    ),
    path("voice/moderation/", staff.moderation_queue, name="moderation"),
    path("voice/moderation/<uuid:rating_id>/", staff.moderate, name="moderate"),
    path("voice/moderation/flags/<uuid:flag_id>/", staff.review_flag, name="review_flag"),
]
