"""Every write to partnerships, agencies, people and memberships.

Each service is one transaction and writes its own audit event. Services raise
`ValidationError` (keyed by field) for anything a person can correct.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.notify import absolute_url, notify
from learninghub.core.permissions import Role
from learninghub.core.ratelimit.services import rate_limit_hit

from . import selectors, signals
from .models import (
    CHOSEN_PARTNERSHIP_SESSION_KEY,
    Agency,
    Invitation,
    Membership,
    Partnership,
    RecoveryCode,
    RecoveryCodeDevice,
    RegionalNetwork,
    User,
    recovery_code_hash,
)

CONFIRMATION_SALT = "learninghub.registration"
REGISTRATION_NOTICE = "account.registration_existing_address"
RECOVERY_CODE_COUNT = 10
# 12 characters of base32 (60 bits) in three groups of four: easy to copy down, and far beyond
# guessing, even by someone who has a copy of the salted hashes.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_CODE_LENGTH = 12


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
    password_hash: str | None = None,
) -> User:
    """`password_hash` is for a password already judged and hashed (self-registration)."""
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
    elif password_hash is not None:
        user.password = password_hash
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
    _membership_access_withdrawn(membership, reason=signals.ROLE_CHANGED, auditor=auditor)
    return membership


def _membership_access_withdrawn(membership: Membership, *, reason: str, auditor: Auditor) -> None:
    """Tell the apps that hold access for this person (API tokens) to withdraw it, inside the
    transaction that changed the membership."""
    signals.access_withdrawn.send(
        Membership,
        user=membership.user,
        reason=reason,
        auditor=auditor,
        partnership_id=membership.partnership_id,
    )


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
    _membership_access_withdrawn(membership, reason=signals.MEMBERSHIP_ENDED, auditor=auditor)
    return membership


# The partnership a person works in ------------------------------------------------------


@transaction.atomic
def partnership_choose(*, auditor: Auditor, user: User, session, partnership_id) -> Partnership:
    """Work in another of one's own partnerships: the pages follow the choice for the rest of
    the session (the API is told the partnership on each request instead).

    Only a partnership the person is an active member of: a tampered form naming any other
    is refused, so no one can put themselves in a partnership by editing a request.
    """
    membership = next(
        (m for m in user.active_memberships if str(m.partnership_id) == str(partnership_id)),
        None,
    )
    if membership is None:
        raise ValidationError({"partnership": "Choose one of your partnerships"})
    session[CHOSEN_PARTNERSHIP_SESSION_KEY] = membership.partnership_id
    user.chosen_partnership_id = membership.partnership_id
    auditor.record(
        "action",
        action="partnerships.partnership.choose",
        summary=f"Chose to work in {membership.partnership.name}",
        obj=membership.partnership,
    )
    return membership.partnership


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
    notify(
        to=[email],
        template="partnerships/notices/invitation",
        context={
            "inviter": auditor.label,
            "partnership": partnership.name,
            "role": Role(role).label,
            "days": settings.INVITATION_VALID_FOR.days,
            "link": absolute_url(reverse("accounts:invitation", args=[token])),
        },
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
#
# The page does the same work whatever the address (no account enumeration by timing, ASVS
# V2.2): it judges the password, counts the request against the rate limits, hashes the
# password and queues one background task (tasks.py). Only the task looks the address up and
# then creates an account, replaces an unconfirmed registration, or tells the owner.


def _registration_fingerprint(user: User) -> str:
    # Bound to the address and the password chosen: when an unconfirmed registration is
    # replaced by a later one, the links sent for the earlier one stop working.
    return salted_hmac(
        CONFIRMATION_SALT, f"{user.email}:{user.password}", algorithm="sha256"
    ).hexdigest()[:32]


def confirmation_token(user: User) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(
        f"{user.pk}:{_registration_fingerprint(user)}"
    )


def _confirmation_user(token: str, *, lock: bool) -> User | None:
    try:
        value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
            token, max_age=settings.EMAIL_CONFIRMATION_VALID_FOR
        )
    except signing.BadSignature:
        return None
    pk, _, fingerprint = value.partition(":")
    if not pk.isdigit():
        return None
    if lock:
        user = User.objects.select_for_update().filter(pk=int(pk), is_active=True).first()
    else:
        user = selectors.user_get(pk=int(pk))
    if user is None or not constant_time_compare(fingerprint, _registration_fingerprint(user)):
        return None
    return user


def confirmation_user(*, token: str) -> User | None:
    """Whose registration a link confirms; None when it is unknown, altered, expired or for a
    registration since replaced."""
    return _confirmation_user(token, lock=False)


def _send_confirmation(user: User) -> None:
    notify(
        to=[user.email],
        template="partnerships/notices/confirm_email",
        context={
            "hours": int(settings.EMAIL_CONFIRMATION_VALID_FOR.total_seconds() // 3600),
            "link": absolute_url(
                reverse("accounts:confirm_email", args=[confirmation_token(user)])
            ),
        },
    )


def practitioner_registration_request(
    *, email: str, full_name: str, password: str, agency: Agency, ip_address: str | None = None
) -> None:
    """What the registration page does, the same whether or not the address has an account.

    Raises ValidationError for a weak password and RateLimited past the limits. Not one
    transaction: the rate-limit hit must commit before it is counted (core/ratelimit).
    """
    from .tasks import queue, register_practitioner

    email = email.strip().lower()
    full_name = full_name.strip()
    # Judge the password before anything else: refusing a weak password only for new
    # addresses would reveal which addresses already have an account.
    try:
        validate_password(password, User(email=email, full_name=full_name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    rate_limit_hit(action="registration", address=email, ip_address=ip_address)
    queue(
        register_practitioner,
        email=email,
        full_name=full_name,
        # Hashed here: a password in clear never reaches the task queue.
        password_hash=make_password(password),
        agency_id=agency.pk,
        ip_address=ip_address,
    )


def _registration_replaceable(user: User) -> bool:
    """An unconfirmed self-registration, which whoever owns the address may replace.

    Nobody has ever signed in to it, so nothing is lost; accounts made any other way (an
    invitation, the admin) are never replaced.
    """
    return (
        user.email_confirmed_at is None
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
        and all(m.role == Role.PRACTITIONER for m in user.active_memberships)
    )


def _registration_replace(
    *, auditor: Auditor, user: User, full_name: str, password_hash: str, agency: Agency
) -> User:
    """The new details replace an unconfirmed registration's: someone who registered another
    person's address first (squatting) can no longer keep its owner out."""
    before = snapshot(user, ["full_name", "password"])
    user.full_name = full_name
    user.password = password_hash
    user.save(update_fields=["full_name", "password"])
    auditor.updated(
        user,
        action="partnerships.user.registration_replace",
        summary=f"Replaced the unconfirmed registration for {user.email} with a new one",
        before=before,
    )
    kept = False
    for membership in Membership.objects.filter(user=user, ended_at__isnull=True):
        if (membership.agency_id, membership.role) == (agency.pk, Role.PRACTITIONER):
            kept = True
        else:
            membership_end(auditor=auditor, membership=membership)
    if not kept:
        membership_create(
            auditor=auditor,
            user=user,
            partnership=agency.partnership,
            role=Role.PRACTITIONER,
            agency=agency,
        )
    return user


@transaction.atomic
def practitioner_register(
    *,
    email: str,
    full_name: str,
    password_hash: str,
    agency: Agency,
    ip_address: str | None = None,
) -> User | None:
    """The background part of registration (tasks.register_practitioner).

    A new address gets a practitioner account and a confirmation link; an unconfirmed
    registration is replaced by this one and the link goes to the address, so only its owner
    can finish; the owner of a confirmed account is told instead (None is returned).
    """
    email = email.strip().lower()
    full_name = full_name.strip()
    auditor = Auditor(system="self-registration", ip_address=ip_address)
    # Locked: a registration being confirmed at this moment is not replaced under it.
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and _registration_replaceable(existing):
        user = _registration_replace(
            auditor=auditor,
            user=existing,
            full_name=full_name,
            password_hash=password_hash,
            agency=agency,
        )
    elif existing is not None:
        # At most one such email a day, so the form cannot be used to flood someone's inbox.
        if selectors.registration_notice_sent_recently(user=existing):
            return None
        auditor.record(
            "action",
            action=REGISTRATION_NOTICE,
            summary=f"Told {existing.email} that someone tried to register with their address",
            obj=existing,
        )
        notify(
            to=[email],
            template="partnerships/notices/already_registered",
            context={"link": absolute_url(reverse("accounts:login"))},
        )
        return None
    else:
        user = user_create(
            auditor=auditor,
            email=email,
            full_name=full_name,
            password=None,
            password_hash=password_hash,
        )
        membership_create(
            auditor=auditor,
            user=user,
            partnership=agency.partnership,
            role=Role.PRACTITIONER,
            agency=agency,
        )
    _send_confirmation(user)
    return user


@transaction.atomic
def registration_confirm(*, token: str, password: str) -> User | None:
    """Confirm a registration; None when the link is unknown, altered, expired or replaced.

    The password chosen when registering is asked for as well as the emailed link: otherwise
    someone who registered another person's address could wait for its owner to press
    "Confirm" on an email they did not expect, and then sign in with their own password.
    """
    # Locked, then checked: a registration replaced at the same moment cannot be confirmed
    # with the password it had a moment before.
    user = _confirmation_user(token, lock=True)
    if user is None:
        return None
    if user.email_confirmed_at is not None:
        return user
    if not user.check_password(password):
        raise ValidationError(
            {
                "password": "The password is not correct. Enter the password you created "
                "when you registered"
            }
        )
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


def confirmation_resend_request(*, email: str, ip_address: str | None = None) -> None:
    """What the "send the confirmation email again" page does, the same whatever the address.

    Raises RateLimited past the limits. Not one transaction: see practitioner_registration_request.
    """
    from .tasks import queue, resend_confirmation

    email = email.strip().lower()
    rate_limit_hit(action="confirmation_resend", address=email, ip_address=ip_address)
    queue(resend_confirmation, email=email, ip_address=ip_address)


@transaction.atomic
def confirmation_resend(*, email: str, ip_address: str | None = None) -> User | None:
    """The background part: a new link, only if the address has a registration waiting."""
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active or user.email_confirmed_at is not None:
        return None
    Auditor(system="self-registration", ip_address=ip_address).record(
        "action",
        action="account.confirmation_resent",
        summary=f"Sent the confirmation link to {user.email} again",
        obj=user,
    )
    _send_confirmation(user)
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


def _recovery_code_new() -> str:
    chars = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(chars[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def _recovery_codes_replace(user: User) -> list[str]:
    """New codes, returned to be shown once: only their salted hashes are stored."""
    # The device itself is kept, so a session that signed in with a recovery code stays
    # verified when its owner makes new codes.
    device, _ = RecoveryCodeDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    salts = [secrets.token_hex(16) for _ in codes]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, salt=salt, code_hash=recovery_code_hash(code, salt))
        for code, salt in zip(codes, salts, strict=True)
    )
    return codes


def recovery_codes_regenerate(
    *, user: User, password: str, ip_address: str | None = None
) -> list[str]:
    """New recovery codes (the old ones stop working), returned to be shown once.

    The person's password is asked for again: a session left open on a shared computer must
    not be enough to take lasting access to the account. A wrong password is audited as a
    failed attempt; that event commits, then the ValidationError is raised, with nothing
    else changed.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        auditor = Auditor(actor=user, ip_address=ip_address)
        if not user.check_password(password):
            auditor.sign_in_failed(
                user,
                action="account.recovery_codes_password_failed",
                summary="Wrong password when making new recovery codes",
            )
            codes = None
        else:
            codes = _recovery_codes_replace(user)
            auditor.record(
                "action",
                action="account.recovery_codes",
                summary="Made new recovery codes",
                obj=user,
            )
    if codes is None:
        raise ValidationError({"password": "Your password is not correct"})
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, token: str) -> TOTPDevice | RecoveryCodeDevice | None:
    """The device that accepts the code typed at sign-in: the authenticator app, then the
    recovery codes. Only these two: django-otp's plain-text static tokens (whose app stays
    installed for a migration only) never sign anyone in, whoever created them."""
    for model in (TOTPDevice, RecoveryCodeDevice):
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def recovery_code_use(*, device: RecoveryCodeDevice, code: str) -> bool:
    """django-otp's `verify_token` for recovery codes: True once for each code, then never."""
    device = RecoveryCodeDevice.objects.select_for_update().get(pk=device.pk)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    unused = RecoveryCode.objects.select_for_update().filter(device=device, used_at__isnull=True)
    match = next((candidate for candidate in unused if candidate.matches(code)), None)
    # The conditional update is what makes a code single-use, even for two sign-ins racing
    # with the same code on a database that ignores select_for_update (SQLite).
    used = match is not None and RecoveryCode.objects.filter(
        pk=match.pk, used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        device.throttle_increment()
        return False
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    left = RecoveryCode.objects.filter(device=device, used_at__isnull=True).count()
    Auditor(actor=device.user).record(
        "action",
        action="account.recovery_code_used",
        summary=f"Used a recovery code to sign in ({left} left)",
        obj=device.user,
    )
    return True


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


def password_reset_request(*, email: str, ip_address: str | None = None) -> None:
    """What the "reset your password" page does: count the request against the rate limits
    and queue one background task. The same work whether or not the address has an account,
    so neither the page nor its timing reveals who has one.

    Raises RateLimited past the limits. Not one transaction: see
    practitioner_registration_request.
    """
    from .tasks import queue, send_password_reset

    email = email.strip().lower()
    rate_limit_hit(action="password_reset", address=email, ip_address=ip_address)
    queue(send_password_reset, email=email, ip_address=ip_address)


@transaction.atomic
def password_reset_send(*, email: str, ip_address: str | None = None) -> None:
    """The background part (tasks.send_password_reset): email a reset link to the account's
    owner, if the address has an account."""
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active:
        return
    Auditor(system="password reset", ip_address=ip_address).record(
        "action",
        action="account.password_reset_requested",
        summary=f"Password reset link sent to {user.email}",
        obj=user,
    )
    notify(
        to=[user.email],
        template="partnerships/notices/password_reset",
        context={
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "link": password_reset_link(user),
        },
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
    changes = {"password": ["", ""]}
    if user.email_confirmed_at is None:
        # The link came by email, so following it proves the address is theirs: an
        # unconfirmed registration (perhaps someone else's, with someone else's password)
        # becomes the owner's, with the owner's password.
        user.email_confirmed_at = timezone.now()
        changes["email_confirmed_at"] = [None, user.email_confirmed_at]
    user.save(update_fields=["password", "email_confirmed_at"])
    Auditor(actor=user, ip_address=ip_address).record(
        "update",
        action="account.password_reset",
        summary="Chose a new password",
        obj=user,
        changes=changes,
    )
    signals.access_withdrawn.send(User, user=user, reason=signals.PASSWORD_RESET)
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
    RecoveryCodeDevice.objects.filter(user=user).delete()
    auditor.record(
        "update",
        action="account.two_factor_reset",
        summary=f"Reset two-factor authentication for {user.email}",
        obj=user,
        partnership_id=membership.partnership_id,
    )
    return user
