from django.contrib import admin

from .models import Agency, Invitation, Membership, Partnership, RegionalNetwork, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "is_superuser", "email_confirmed_at"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region", "network", "is_demo"]
    list_select_related = ["network"]
    search_fields = ["name", "short_name"]


admin.site.register(RegionalNetwork)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "agency_type", "is_active"]
    list_select_related = ["partnership"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "agency", "started_at", "ended_at"]
    list_select_related = ["user", "partnership", "agency"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "partnership", "role", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
