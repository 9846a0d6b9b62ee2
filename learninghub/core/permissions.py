"""Roles, visibility levels and the helpers every selector uses to scope what a user sees.

Deny by default: a person sees a record only when a rule here allows it. Selectors build on
`visible_to` so that a record the user may not see is never returned (and its URL answers
404, so its existence does not leak).

The core knows nothing of the domain apps: it reads the viewer's memberships through the
small protocol below, which the user model implements.
"""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit"
    CASE_REVIEW_GROUP = "case_review_group", "Case review group"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    INDEPENDENT_REVIEWER = "independent_reviewer", "Independent reviewer"
    PRACTITIONER = "practitioner", "Practitioner"


# Label used for the system administrator, who holds no partnership role.
SYSTEM_ADMINISTRATOR = "System administrator"

# Anyone who can see restricted or partnership material must use two-factor authentication.
ROLES_REQUIRING_TWO_FACTOR = frozenset(
    {Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP, Role.INDEPENDENT_REVIEWER}
)


class Visibility(models.TextChoices):
    """Who may see a record, from the widest audience to the narrowest."""

    PUBLIC = "public", "Public"
    REGISTERED = "registered", "Registered practitioners"
    PARTNERSHIP = "partnership", "Partnership members"
    RESTRICTED = "restricted", "Restricted"


class Viewer(Protocol):
    is_authenticated: bool
    is_superuser: bool

    def roles_in(self, partnership_id: int) -> frozenset[str]: ...

    @property
    def partnership_ids(self) -> frozenset[int]: ...


def has_role(user: Viewer, partnership_id: int | None, *roles: str) -> bool:
    if not user.is_authenticated or partnership_id is None:
        return False
    held = user.roles_in(partnership_id)
    return any(role in held for role in roles)


def is_system_administrator(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def visible_to(
    user: Viewer,
    *,
    visibility_field: str = "visibility",
    partnership_field: str = "partnership",
    named: Q | None = None,
) -> Q:
    """A filter for records carrying a visibility level and an owning partnership.

    Restricted material is open to the case review group and business unit of the owning
    partnership; `named` adds the people named on that record (e.g. a review's independent
    reviewer), whatever their role.
    """
    q = Q(**{visibility_field: Visibility.PUBLIC})
    if not user.is_authenticated:
        return q
    q |= Q(**{visibility_field: Visibility.REGISTERED})
    partnerships = user.partnership_ids
    if partnerships:
        q |= Q(
            **{visibility_field: Visibility.PARTNERSHIP, f"{partnership_field}__in": partnerships}
        )
        restricted_partnerships = [
            pid
            for pid in partnerships
            if has_role(user, pid, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)
        ]
        base = Q(
            **{
                visibility_field: Visibility.RESTRICTED,
                f"{partnership_field}__in": restricted_partnerships,
            }
        )
        q |= base
    if named is not None:
        q |= Q(**{visibility_field: Visibility.RESTRICTED}) & named
    return q
