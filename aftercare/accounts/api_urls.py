"""The accounts routes of /api/v1/ (a token, who I am, members), included into the `api` namespace
by aftercare.urls."""

from django.urls import path

from aftercare.accounts.api import members as member_api
from aftercare.accounts.api import tokens as api

urlpatterns = [
    path("auth/token", api.TokenView.as_view(), name="token"),
    path("me", api.MeView.as_view(), name="me"),
    path("members", member_api.MembersView.as_view(), name="members"),
    path("members/<str:membership_id>", member_api.MemberView.as_view(), name="member"),
    path(
        "members/<str:membership_id>/reset-second-factor",
        member_api.MemberResetSecondFactorView.as_view(),
        name="member-reset-second-factor",
    ),
    path(
        "members/<str:membership_id>/deactivate",
        member_api.MemberDeactivateView.as_view(),
        name="member-deactivate",
    ),
    path("member-approvals", member_api.MemberApprovalsView.as_view(), name="member-approvals"),
    path(
        "member-approvals/<str:approval_id>/approve",
        member_api.decision_view(True).as_view(),
        name="member-approval-approve",
    ),
    path(
        "member-approvals/<str:approval_id>/reject",
        member_api.decision_view(False).as_view(),
        name="member-approval-reject",
    ),
]
