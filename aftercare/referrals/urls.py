from django.urls import path

from aftercare.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.refer_new_person, name="new_person"),
    path("new/<str:survivor_id>/", views.refer_case, name="new"),
    path("to/<slug:slug>/", views.refer_here, name="refer_here"),
    path("<str:referral_id>/", views.referral_detail, name="detail"),
    path("<str:referral_id>/transfer/approve/", views.approve_transfer, name="approve_transfer"),
    path("<str:referral_id>/<str:action>/", views.referral_transition, name="transition"),
]
