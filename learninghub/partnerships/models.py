"""Partnerships, their agencies, the people who use the service and their memberships."""

from __future__ import annotations

import hashlib
import hmac
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from learninghub.core.permissions import (
    ROLES_REQUIRING_TWO_FACTOR,
    SYSTEM_ADMINISTRATOR,
    Role,
)


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire_humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class RegionalNetwork(models.Model):
    name = models.CharField(max_length=150, unique=True)
    region = models.CharField(max_length=30, choices=Region.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, unique=True)
    region = models.CharField(max_length=30, choices=Region.choices)
    network = models.ForeignKey(
        RegionalNetwork,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Demonstration data: fictional, not a real partnership's"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "la_childrens_social_care", "Local authority children's social care"
    POLICE = "police", "Police"
    HEALTH_ICB = "health_icb", "Health: integrated care board"
    HEALTH_TRUST = "health_trust", "Health: NHS trust"
    HEALTH_GP = "health_gp", "Health: GP practice"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]
        indexes = [models.Index(fields=["partnership", "is_active", "name"])]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


# The session's choice of partnership, for a person with several (the switcher's page sets it,
# `ChosenPartnershipMiddleware` hands it to the user).
CHOSEN_PARTNERSHIP_SESSION_KEY = "_hub_partnership"


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles come from memberships, never from the person alone."""

    # The partnership chosen for this session, if any; only an active membership's counts.
    chosen_partnership_id: int | None = None

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the Django admin")
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    audit_redact = ("password",)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        if self.pk is None:
            return []
        return list(
            Membership.objects.filter(user=self, ended_at__isnull=True)
            .select_related("partnership", "agency")
            .order_by("-started_at")
        )

    def roles_in(self, partnership_id: int) -> frozenset[str]:
        return frozenset(
            m.role for m in self.active_memberships if m.partnership_id == partnership_id
        )

    @property
    def partnership_ids(self) -> frozenset[int]:
        return frozenset(m.partnership_id for m in self.active_memberships)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    @property
    def current_membership(self) -> Membership | None:
        """The membership the pages work in: the one chosen this session, else the newest."""
        for membership in self.active_memberships:
            if membership.partnership_id == self.chosen_partnership_id:
                return membership
        return self.active_memberships[0] if self.active_memberships else None

    @property
    def current_partnership(self) -> Partnership | None:
        membership = self.current_membership
        return membership.partnership if membership else None

    @property
    def role_labels(self) -> list[str]:
        labels = [Role(m.role).label for m in self.active_memberships]
        if self.is_superuser:
            labels.insert(0, SYSTEM_ADMINISTRATOR)
        return labels

    @property
    def audit_partnership_id(self) -> int | None:
        """Sign-ins and account changes show in the person's partnership's audit log."""
        partnership = self.current_partnership
        return partnership.pk if partnership else None

    @property
    def requires_two_factor(self) -> bool:
        return self.is_superuser or bool(self.roles & ROLES_REQUIRING_TWO_FACTOR)


class Membership(models.Model):
    """A person's role in a partnership, with the agency they work for."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_active_per_partnership",
            )
        ]
        indexes = [models.Index(fields=["partnership", "ended_at", "role"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}, {self.partnership.short_name}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Invitation(models.Model):
    """An emailed link to join a partnership in a role. Only a hash of the token is kept."""

    email = models.EmailField()
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    audit_redact = ("token_hash",)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "accepted_at", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.withdrawn_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"

    @property
    def is_open(self) -> bool:
        return self.status == "Waiting"


def recovery_code_normalise(code: str) -> str:
    """Codes are shown in groups (abcd-efgh-ijkl); people may type them with or without the
    hyphens and spaces, in either case."""
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_hash(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{recovery_code_normalise(code)}".encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, TimestampMixin, Device):
    """A person's recovery codes, for when they cannot use their authenticator app.

    Only a salted hash of each code is kept: the codes are shown once, when they are made,
    so nobody who can read the database (or an admin page) can sign in with them. It is a
    django-otp device, so a session verified with a code passes `user.is_verified()`.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="recovery_code_device_one_per_user")
        ]

    def get_throttle_factor(self) -> int:
        # Exponential back-off (1, 2, 4... seconds) after a wrong code, as for the app's codes.
        return 1

    def verify_token(self, token) -> bool:
        # The code is used up, and its use audited, in a service; models never write.
        from .services import recovery_code_use

        return recovery_code_use(device=self, code=str(token))


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    audit_redact = ("salt", "code_hash")

    def __str__(self) -> str:
        return f"Recovery code {self.pk}" + (" (used)" if self.used_at else "")

    def matches(self, code: str) -> bool:
        # Constant time, so response timing reveals nothing about how much of a guess is right.
        return hmac.compare_digest(recovery_code_hash(code, self.salt), self.code_hash)
