from django.urls import path

from . import account_views as views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.login_view, name="login"),
    path("sign-in/two-factor/", views.two_factor, name="two_factor"),
    path("sign-in/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("sign-out/", views.logout_view, name="logout"),
    path("partnership/", views.partnership_switch, name="partnership_switch"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/check-your-email/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("register/", views.register, name="register"),
    path("register/check-your-email/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("register/send-again/", views.confirmation_resend, name="confirmation_resend"),
    path(
        "register/send-again/check-your-email/",
        views.confirmation_resend_sent,
        name="confirmation_resend_sent",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
