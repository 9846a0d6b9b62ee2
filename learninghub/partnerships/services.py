"""Every write to partnerships, agencies, people and memberships.

Each service is one transaction and writes its own audit event. Services raise
`ValidationError` (keyed by field) for anything a person can correct.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.mail import absolute_url, send_after_commit
from learninghub.core.permissions import Role

from . import selectors
from .models import Agency, Invitation, Membership, Partnership, RegionalNetwork, User

CONFIRMATION_SALT = "learninghub.registration"
REGISTRATION_NOTICE = "account.registration_existing_address"
RECOVERY_CODE_COUNT = 10


# Regional networks and partnerships -----------------------------------------------------


@transaction.atomic
def network_create(*, auditor: Auditor, name: str, region: str) -> RegionalNetwork:
    network = RegionalNetwork.objects.create(name=name, region=region)
    auditor.created(
        network,
        action="partnerships.network.create",
        summary=f"Created the regional network {name}",
        fields=["name", "region"],
    )
    return network


@transaction.atomic
def partnership_create(
    *,
    auditor: Auditor,
    name: str,
    short_name: str,
    region: str,
    network: RegionalNetwork | None = None,
    is_demo: bool = False,
) -> Partnership:
    partnership = Partnership.objects.create(
        name=name, short_name=short_name, region=region, network=network, is_demo=is_demo
    )
    auditor.created(
        partnership,
        action="partnerships.partnership.create",
        summary=f"Created the partnership {name}",
        fields=["name", "short_name", "region", "network"],
    )
    return partnership


# Agencies -------------------------------------------------------------------------------

AGENCY_FIELDS = ["name", "agency_type", "is_active"]


def _check_agency_name(partnership: Partnership, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the agency's name"})
    clash = Agency.objects.filter(partnership=partnership, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": f"{partnership.short_name} already has an agency named {name}"}
        )
    return name


@transaction.atomic
def agency_create(
    *, auditor: Auditor, partnership: Partnership, name: str, agency_type: str
) -> Agency:
    name = _check_agency_name(partnership, name)
    agency = Agency.objects.create(partnership=partnership, name=name, agency_type=agency_type)
    auditor.created(
        agency,
        action="partnerships.agency.create",
        summary=f"Added the agency {name}",
        fields=AGENCY_FIELDS,
    )
    return agency


@transaction.atomic
def agency_update(
    *, auditor: Auditor, agency: Agency, name: str, agency_type: str, is_active: bool
) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = snapshot(agency, AGENCY_FIELDS)
    agency.name = _check_agency_name(agency.partnership, name, exclude_pk=agency.pk)
    agency.agency_type = agency_type
    agency.is_active = is_active
    agency.save()
    auditor.updated(
        agency,
        action="partnerships.agency.update",
        summary=f"Changed the agency {agency.name}",
        before=before,
    )
    return agency


# People ---------------------------------------------------------------------------------


# An agency lead acts for an agency and a practitioner works for one: without it, an agency
# lead would sign in to an empty page and nobody would know why.
ROLES_NEEDING_AGENCY = frozenset({Role.AGENCY_LEAD, Role.PRACTITIONER})


def _check_agency_belongs(
    partnership: Partnership, agency: Agency | None, role: str | None = None
) -> None:
    if agency is not None and agency.partnership_id != partnership.pk:
        raise ValidationError({"agency": "Choose an agency in this partnership"})
    if agency is None and role in ROLES_NEEDING_AGENCY:
        raise ValidationError(
            {"agency": f"Select the agency this {Role(role).label.lower()} works for"}
        )


@transaction.atomic
def user_create(
    *,
    auditor: Auditor,
    email: str,
    full_name: str,
    password: str | None,
    email_confirmed: bool = False,
    is_superuser: bool = False,
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists"})
    user = User(email=email, full_name=full_name.strip(), is_superuser=is_superuser)
    user.is_staff = is_superuser
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    if email_confirmed:
        user.email_confirmed_at = timezone.now()
    user.save()
    auditor.created(
        user,
        action="partnerships.user.create",
        summary=f"Created the account for {user.email}",
        fields=["email", "full_name", "is_superuser"],
    )
    return user


@transaction.atomic
def membership_create(
    *,
    auditor: Auditor,
    user: User,
    partnership: Partnership,
    role: str,
    agency: Agency | None,
) -> Membership:
    _check_agency_belongs(partnership, agency)
    if Membership.objects.filter(
        user=user, partnership=partnership, ended_at__isnull=True
    ).exists():
        raise ValidationError(
            {"email": f"{user.email} is already a member of {partnership.short_name}"}
        )
    membership = Membership.objects.create(
        user=user, partnership=partnership, role=role, agency=agency
    )
    auditor.created(
        membership,
        action="partnerships.membership.create",
        summary=f"Gave {user.email} the role {Role(role).label}",
        fields=["user", "role", "agency"],
    )
    return membership


def _business_unit_count(partnership_id: int) -> int:
    return Membership.objects.filter(
        partnership_id=partnership_id, role=Role.BUSINESS_UNIT, ended_at__isnull=True
    ).count()


@transaction.atomic
def membership_change(
    *, auditor: Auditor, membership: Membership, role: str, agency: Agency | None
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError({"role": "This membership has ended"})
    if (
        membership.role == Role.BUSINESS_UNIT
        and role != Role.BUSINESS_UNIT
        and _business_unit_count(membership.partnership_id) <= 1
    ):
        raise ValidationError(
            {"role": "The partnership must keep at least one business unit member"}
        )
    _check_agency_belongs(membership.partnership, agency, role)
    before = snapshot(membership, ["role", "agency"])
    membership.role = role
    membership.agency = agency
    membership.save()
    auditor.updated(
        membership,
        action="partnerships.membership.update",
        summary=f"Changed the role of {membership.user.email}",
        before=before,
    )
    return membership


@transaction.atomic
def membership_end(*, auditor: Auditor, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError({"confirm": "This membership has already ended"})
    if (
        membership.role == Role.BUSINESS_UNIT
        and _business_unit_count(membership.partnership_id) <= 1
    ):
        raise ValidationError(
            {"confirm": "The partnership must keep at least one business unit member"}
        )
    before = snapshot(membership, ["ended_at"])
    membership.ended_at = timezone.now()
    membership.save()
    auditor.updated(
        membership,
        action="partnerships.membership.end",
        summary=f"Ended the membership of {membership.user.email}",
        before=before,
    )
    return membership


# Invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    auditor: Auditor,
    partnership: Partnership,
    email: str,
    role: str,
    agency: Agency | None,
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the one-time token sent."""
    email = email.strip().lower()
    if selectors.active_membership_exists(partnership=partnership, email=email):
        raise ValidationError(
            {
                "email": f"{email} is already a member of {partnership.short_name}. "
                "Change their role instead"
            }
        )
    if selectors.open_invitation_exists(partnership=partnership, email=email):
        raise ValidationError(
            {"email": f"{email} has already been invited and has not replied yet"}
        )
    _check_agency_belongs(partnership, agency, role)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        partnership=partnership,
        agency=agency,
        role=role,
        token_hash=selectors.token_digest(token),
        invited_by=auditor.actor,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    auditor.created(
        invitation,
        action="partnerships.invitation.create",
        summary=f"Invited {email} as {Role(role).label}",
        fields=["email", "role", "agency", "expires_at"],
    )
    link = absolute_url(reverse("accounts:invitation", args=[token]))
    days = settings.INVITATION_VALID_FOR.days
    send_after_commit(
        subject=f"You are invited to {partnership.name} on {settings.SERVICE_NAME}",
        body=(
            f"{auditor.label} has invited you to join {partnership.name} as "
            f"{Role(role).label}.\n\nAccept the invitation within {days} days:\n{link}\n\n"
            "If you did not expect this email, you can ignore it."
        ),
        to=[email],
    )
    return invitation, token


@transaction.atomic
def invitation_withdraw(*, auditor: Auditor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError({"confirm": "This invitation can no longer be withdrawn"})
    before = snapshot(invitation, ["withdrawn_at"])
    invitation.withdrawn_at = timezone.now()
    invitation.save()
    auditor.updated(
        invitation,
        action="partnerships.invitation.withdraw",
        summary=f"Withdrew the invitation for {invitation.email}",
        before=before,
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str | None = None,
) -> Membership:
    """Accept an invitation: as the signed-in person it was sent to, or by creating an account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError({"password": "This invitation has expired or was already used"})
    if user is None:
        if not full_name.strip():
            raise ValidationError({"full_name": "Enter your full name"})
        user = user_create(
            auditor=Auditor.for_system("invitation"),
            email=invitation.email,
            full_name=full_name,
            password=password,
            email_confirmed=True,  # following the emailed link proves the address
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError({"password": "This invitation was sent to another email address"})
    auditor = Auditor(actor=user)
    membership = membership_create(
        auditor=auditor,
        user=user,
        partnership=invitation.partnership,
        role=invitation.role,
        agency=invitation.agency,
    )
    before = snapshot(invitation, ["accepted_at"])
    invitation.accepted_at = timezone.now()
    invitation.save()
    auditor.updated(
        invitation,
        action="partnerships.invitation.accept",
        summary=f"{user.email} accepted the invitation",
        before=before,
    )
    return membership


# Practitioner self-registration ---------------------------------------------------------


def confirmation_token(user: User) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(f"{user.pk}:{user.email}")


@transaction.atomic
def practitioner_register(
    *, email: str, full_name: str, password: str, agency: Agency, ip_address: str | None = None
) -> User | None:
    """Register a practitioner and email a confirmation link.

    If the address already has an account we email its owner instead and return None, so the
    page a visitor sees never reveals who has an account.
    """
    email = email.strip().lower()
    # Judge the password before looking the address up: refusing a weak password only for
    # new addresses would reveal which addresses already have an account.
    try:
        validate_password(password, User(email=email, full_name=full_name.strip()))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    existing = selectors.user_get_by_email(email=email)
    if existing is not None:
        # At most one such email a day, so the form cannot be used to flood someone's inbox.
        if selectors.registration_notice_sent_recently(user=existing):
            return None
        Auditor(system="self-registration", ip_address=ip_address).record(
            "action",
            action=REGISTRATION_NOTICE,
            summary=f"Told {existing.email} that someone tried to register with their address",
            obj=existing,
        )
        send_after_commit(
            subject=f"You already have an account on {settings.SERVICE_NAME}",
            body=(
                "Someone tried to register with this email address, which already has an "
                f"account. Sign in at {absolute_url(reverse('accounts:login'))}.\n\n"
                "If this was not you, you can ignore this email."
            ),
            to=[email],
        )
        return None
    auditor = Auditor(system="self-registration", ip_address=ip_address)
    user = user_create(auditor=auditor, email=email, full_name=full_name, password=password)
    membership_create(
        auditor=auditor,
        user=user,
        partnership=agency.partnership,
        role=Role.PRACTITIONER,
        agency=agency,
    )
    link = absolute_url(reverse("accounts:confirm_email", args=[confirmation_token(user)]))
    hours = int(settings.EMAIL_CONFIRMATION_VALID_FOR.total_seconds() // 3600)
    send_after_commit(
        subject=f"Confirm your email address for {settings.SERVICE_NAME}",
        body=f"Confirm your email address within {hours} hours to finish registering:\n{link}",
        to=[email],
    )
    return user


@transaction.atomic
def registration_confirm(*, token: str) -> User | None:
    """Confirm a registration; None when the link is unknown, altered or expired."""
    try:
        value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
            token, max_age=settings.EMAIL_CONFIRMATION_VALID_FOR
        )
    except signing.BadSignature:
        return None
    pk, _, email = value.partition(":")
    user = User.objects.select_for_update().filter(pk=pk, email=email).first()
    if user is None:
        return None
    if user.email_confirmed_at is None:
        before = snapshot(user, ["email_confirmed_at"])
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        Auditor(actor=user).updated(
            user,
            action="partnerships.user.confirm_email",
            summary="Confirmed email address",
            before=before,
        )
    return user


# Two-factor authentication --------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for first sign-in; replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns new recovery codes to show once."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(
            {"token": "Two-factor authentication is already set up. Sign in with your code"}
        )
    if not device.verify_token(token.replace(" ", "")):
        raise ValidationError(
            {"token": "The code is not correct. Enter the 6-digit code shown in your app"}
        )
    device.confirmed = True
    device.save()
    Auditor(actor=user).record(
        "action",
        action="account.two_factor.setup",
        summary="Set up two-factor authentication",
        obj=user,
    )
    return _recovery_codes_replace(user)


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = _recovery_codes_replace(user)
    Auditor(actor=user).record(
        "action", action="account.recovery_codes", summary="Made new recovery codes", obj=user
    )
    return codes


@transaction.atomic
def demo_totp_device(*, user: User, key_hex: str) -> TOTPDevice:
    """A confirmed authenticator with a known secret, for the printed demo logins only."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True, key=key_hex
    )


# Password reset -------------------------------------------------------------------------


def password_reset_link(user: User) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("accounts:password_reset_confirm", args=[uid, token]))


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None = None) -> None:
    """Email a reset link to the account's owner. The same answer whether or not an account
    exists, so the page never reveals who has one."""
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active:
        return
    Auditor(system="password reset", ip_address=ip_address).record(
        "action",
        action="account.password_reset_requested",
        summary=f"Password reset link sent to {user.email}",
        obj=user,
    )
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    send_after_commit(
        subject=f"Reset your password for {settings.SERVICE_NAME}",
        body=(
            f"Use this link within {hours} hours to choose a new password:\n"
            f"{password_reset_link(user)}\n\n"
            "If you did not ask for this, you can ignore this email: your password stays the same."
        ),
        to=[user.email],
    )


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The person a reset link is for, or None when the link is unknown, used or expired."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = selectors.user_get(pk=pk)
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_complete(
    *, uidb64: str, token: str, password: str, ip_address: str | None = None
) -> User:
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise ValidationError({"password": "This link has expired or was already used"})
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)  # also ends every other session (the auth hash changes)
    user.save(update_fields=["password"])
    Auditor(actor=user, ip_address=ip_address).record(
        "update",
        action="account.password_reset",
        summary="Chose a new password",
        obj=user,
        changes={"password": ["", ""]},
    )
    return user


@transaction.atomic
def two_factor_reset(*, auditor: Auditor, membership: Membership) -> User:
    """For someone who lost their phone: their authenticator and recovery codes are removed,
    and they set up a new one at their next sign-in (their password still comes first)."""
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    user = membership.user
    if not membership.is_active:
        raise ValidationError({"confirm": "This membership has ended"})
    if auditor.actor is not None and auditor.actor.pk == user.pk:
        raise ValidationError({"confirm": "Ask another member of the business unit to reset yours"})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    auditor.record(
        "update",
        action="account.two_factor_reset",
        summary=f"Reset two-factor authentication for {user.email}",
        obj=user,
        partnership_id=membership.partnership_id,
    )
    return user
