"""The referral routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.referrals import api

urlpatterns = [
    path("referrals", api.ReferralListView.as_view(), name="referrals"),
    path("referrals/<str:referral_id>", api.ReferralDetailView.as_view(), name="referral"),
    path(
        "referrals/<str:referral_id>/approve-transfer",
        api.ApproveTransferView.as_view(),
        name="referral-approve-transfer",
    ),
    *[
        path(
            f"referrals/<str:referral_id>/{action}",
            api.transition_view(action),
            name=f"referral-{action}",
        )
        for action in ("accept", "decline", "start", "complete", "cancel")
    ],
]
