from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/invite/", views.invitation_create, name="invitation_create"),
    path(
        "people/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("people/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("people/<int:pk>/end/", views.membership_end, name="membership_end"),
    path(
        "people/<int:pk>/reset-two-factor/",
        views.membership_two_factor_reset,
        name="membership_two_factor_reset",
    ),
    path("audit/", views.audit_log, name="audit_log"),
]
