from django.urls import path

from aftercare.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor_verify, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("security/", views.security, name="security"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
]
