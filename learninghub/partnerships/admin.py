"""The Django admin, for system administrators to inspect records.

It is read-only: every change goes through the service pages, where it is validated and
written to the audit log. An admin form would change roles or grant system administration
with no audit event and none of the services' rules.
"""

from django.contrib import admin

from .models import Agency, Invitation, Membership, Partnership, RegionalNetwork, User


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
