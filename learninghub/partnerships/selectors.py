"""Every read of partnerships, agencies and people, scoped to what the viewer may see."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.permissions import Role, is_system_administrator, partnerships_where

from .filters import MembershipFilter
from .models import (
    Agency,
    Invitation,
    Membership,
    Partnership,
    RecoveryCodeDevice,
    User,
)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def partnership_list() -> QuerySet[Partnership]:
    """Partnerships and their networks are public information."""
    return Partnership.objects.select_related("network").order_by("name")


def partnership_get(*, pk: int) -> Partnership:
    try:
        return partnership_list().get(pk=pk)
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc


def agency_list(*, partnership: Partnership, include_inactive: bool = False) -> QuerySet[Agency]:
    agencies = Agency.objects.filter(partnership=partnership)
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    return agencies.order_by("name")


def managed_partnership_ids(user) -> list[int]:
    """The partnerships whose people and agencies this person may manage."""
    return partnerships_where(user, Role.BUSINESS_UNIT)


def managed_partnership(user) -> Partnership:
    """The business unit's own partnership: the one they chose to work in if they are its
    business unit, else the first they are business unit of; anyone else gets a 404."""
    if not user.is_authenticated:
        raise Http404
    current = user.current_membership
    if current is not None and current.role == Role.BUSINESS_UNIT:
        return current.partnership
    for membership in user.active_memberships:
        if membership.role == Role.BUSINESS_UNIT:
            return membership.partnership
    raise Http404


def memberships_to_choose_from(user) -> list[Membership]:
    """A person's active memberships, by partnership name, for choosing which to work in."""
    if not user.is_authenticated:
        return []
    return sorted(user.active_memberships, key=lambda m: (m.partnership.name, m.partnership_id))


def agency_get_for_manager(*, user, pk: int) -> Agency:
    try:
        return Agency.objects.select_related("partnership").get(
            pk=pk, partnership_id__in=managed_partnership_ids(user)
        )
    except Agency.DoesNotExist as exc:
        raise Http404 from exc


def membership_list(*, partnership: Partnership, search: str = "") -> QuerySet[Membership]:
    memberships = Membership.objects.filter(
        partnership=partnership, ended_at__isnull=True
    ).select_related("user", "agency")
    if search:
        memberships = MembershipFilter({"q": search}, queryset=memberships).qs
    return memberships.order_by("user__full_name", "user__email")


def membership_get_for_manager(*, user, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user", "agency", "partnership").get(
            pk=pk, partnership_id__in=managed_partnership_ids(user)
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def invitation_list(*, partnership: Partnership) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("agency")
        .order_by("-created_at")
    )


def invitation_get_for_manager(*, user, pk: int) -> Invitation:
    try:
        return Invitation.objects.get(pk=pk, partnership_id__in=managed_partnership_ids(user))
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """An invitation that can still be accepted, or None (expired, used or unknown alike)."""
    invitation = (
        Invitation.objects.select_related("partnership", "agency")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_get(*, pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()


def partnerships_for_registration() -> QuerySet[Partnership]:
    return partnership_list()


def agencies_for_registration() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("partnership")


def agency_for_registration(*, pk: int) -> Agency | None:
    """The agency a queued registration named, if it still takes registrations."""
    return agencies_for_registration().filter(pk=pk).first()


def audit_partnership_scope(user) -> list[int] | None:
    """Which partnerships' audit events a person may read; None means all."""
    if is_system_administrator(user):
        return None
    return managed_partnership_ids(user)


def open_invitation_exists(*, partnership: Partnership, email: str) -> bool:
    return Invitation.objects.filter(
        partnership=partnership,
        email__iexact=email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


def active_membership_exists(*, partnership: Partnership, email: str) -> bool:
    return Membership.objects.filter(
        partnership=partnership, user__email__iexact=email, ended_at__isnull=True
    ).exists()


def has_confirmed_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def unconfirmed_authenticator(*, user: User, pk: int | None) -> TOTPDevice | None:
    if pk is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=pk).first()


def recovery_codes_unused(*, user: User) -> int | None:
    """How many of the person's recovery codes are left; None when they have never had any."""
    counts = RecoveryCodeDevice.objects.filter(user=user).aggregate(
        devices=Count("id", distinct=True),
        unused=Count("codes", filter=Q(codes__used_at__isnull=True)),
    )
    return counts["unused"] if counts["devices"] else None


def members_with_role(*, partnership_id: int, role: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__partnership_id=partnership_id,
        memberships__role=role,
        memberships__ended_at__isnull=True,
    ).order_by("full_name", "email")


def agency_get_in_partnership(*, partnership: Partnership, pk: int) -> Agency:
    """An agency of this partnership, active or not; another partnership's answers 404.

    For people already allowed to manage `partnership` (the API checks that first).
    """
    try:
        return Agency.objects.select_related("partnership").get(pk=pk, partnership=partnership)
    except Agency.DoesNotExist as exc:
        raise Http404 from exc


def business_unit_emails(partnership_id: int) -> list[str]:
    """Where a partnership's deadline reminders go: its active business unit members."""
    return list(
        members_with_role(partnership_id=partnership_id, role=Role.BUSINESS_UNIT)
        .values_list("email", flat=True)
        .distinct()
    )


def registration_notice_sent_recently(*, user: User) -> bool:
    """Whether the owner was already told today that someone tried to register as them."""
    from learninghub.core.audit.selectors import events_for_since

    return events_for_since(
        user,
        action="account.registration_existing_address",
        since=timezone.now() - timedelta(days=1),
    ).exists()


def agency_lead_emails(agency_id: int) -> list[str]:
    """Where an agency's information requests are sent: its active agency leads."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=agency_id,
            memberships__role=Role.AGENCY_LEAD,
            memberships__ended_at__isnull=True,
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
