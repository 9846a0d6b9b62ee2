"""The Django admin, for system administrators to inspect records.

It is read-only: every change goes through the service pages, where it is validated and
written to the audit log. An admin form would change roles or grant system administration
with no audit event and none of the services' rules. Third-party apps register editable
admins of their own (django-otp's devices, auth groups, axes' logs, task results): a system
administrator once planted a recovery code on another partnership's account through one.
`lock_down` removes every admin that is not one of the read-only ones below.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django_otp.admin import OTPAdminSite

from .models import Agency, Invitation, Membership, Partnership, RegionalNetwork, User


class HubAdminSite(OTPAdminSite):
    """Staff who have passed two-factor only (OTPAdminSite), and no password change here."""

    site_header = "Safeguarding Learning Hub administration"

    def password_change(self, request, extra_context=None):
        # The admin's own form changes a password with no audit event; the service's reset
        # path proves the person holds the account's email and is audited.
        return redirect("accounts:password_reset")

    def password_change_done(self, request, extra_context=None):
        return redirect("accounts:password_reset")


def lock_down(site: admin.AdminSite = admin.site) -> None:
    """Two-factor for the admin, and only the read-only admins: run once every app has
    registered its own (PartnershipsConfig.ready)."""
    site.__class__ = HubAdminSite
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, ReadOnlyAdmin):
            site.unregister(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "full_name", "is_active", "is_superuser", "email_confirmed_at"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["name", "short_name", "region", "network", "is_demo"]
    list_select_related = ["network"]
    search_fields = ["name", "short_name"]


@admin.register(RegionalNetwork)
class RegionalNetworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "region"]


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "agency_type", "is_active"]
    list_select_related = ["partnership"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "partnership", "role", "agency", "started_at", "ended_at"]
    list_select_related = ["user", "partnership", "agency"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "partnership", "role", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
