from django.urls import path

from aftercare.accounts.views import account as views
from aftercare.accounts.views import members as member_views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor_verify, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("security/", views.security, name="security"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("members/", member_views.member_list, name="members"),
    path("members/invite/", member_views.member_invite, name="member_invite"),
    path("members/<str:membership_id>/role/", member_views.member_role, name="member_role"),
    path(
        "members/<str:membership_id>/reset-second-factor/",
        member_views.member_reset_second_factor,
        name="member_reset_second_factor",
    ),
    path(
        "members/<str:membership_id>/deactivate/",
        member_views.member_deactivate,
        name="member_deactivate",
    ),
    path("member-approvals/", member_views.member_approvals, name="member_approvals"),
    path(
        "member-approvals/<str:approval_id>/<str:decision>/",
        member_views.member_decide,
        name="member_decide",
    ),
    path("invitation/<str:token>/", member_views.invitation, name="invitation"),
]
