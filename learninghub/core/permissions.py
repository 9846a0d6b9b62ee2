"""Roles, visibility levels and the one way to scope a query and check a permission.

Deny by default: a person sees a record only when a rule here allows it. There are two ways
to scope a query, and selectors use no other:

- `partnerships_where(user, *roles)`: the partnerships in which the person holds one of
  these roles, for records owned by a partnership and open to some of its roles (cases are
  open to the business unit and the case review group: `partnership_id__in=
  partnerships_where(user, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)`);
- `visible_to(user)`: a filter for records carrying a `Visibility` level and an owning
  partnership (the learning library's items, event materials), from public to restricted.

A record the user may not see is never returned, and its URL answers 404, so its existence
does not leak. Views and the API check a `rules` permission with `require` (or `can` for a
yes/no), never `user.has_perm`: Django lets a superuser pass every `has_perm`, while here a
system administrator holds only what a rule gives them.

The core knows nothing of the domain apps: it reads the viewer's memberships through the
small protocol below, which the user model implements.
"""

from __future__ import annotations

from typing import Protocol

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest


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


def partnerships_where(user: Viewer, *roles: str) -> list[int]:
    """The partnerships (ids, ascending) in which the person holds any of `roles`.

    With no roles: every partnership they are a member of. Roles come only from active
    memberships, so a system administrator's superuser flag adds nothing here.
    """
    if not user.is_authenticated:
        return []
    return sorted(pid for pid in user.partnership_ids if not roles or has_role(user, pid, *roles))


def _person(request_or_user):
    if isinstance(request_or_user, HttpRequest):
        # The API's person is the token's (or the session's) that ninja put on `auth`; a
        # page's is the signed-in `user`.
        auth = getattr(request_or_user, "auth", None)
        return auth if auth is not None else request_or_user.user
    return request_or_user


def can(request_or_user, perm: str, obj=None) -> bool:
    """Whether a `rules` permission allows this, by the rule alone.

    Not `user.has_perm`: Django's permission backends let an active superuser pass every
    check, so a system administrator would see case material no rule gives them. A
    permission no rule names is refused (deny by default).
    """
    user = _person(request_or_user)
    if user is None or not user.is_authenticated:
        return False
    return rules.has_perm(perm, user, obj)


def require(request_or_user, perm: str, obj=None, *, forbidden: str | None = None) -> None:
    """Go on only if the rule allows it: otherwise 404, so a record one may not see does not
    reveal that it exists; or, given `forbidden`, 403 with that reason, for a record anyone
    may read (a public partnership) that the person may not change."""
    if can(request_or_user, perm, obj):
        return
    if forbidden is not None:
        raise PermissionDenied(forbidden)
    raise Http404


def visible_to(
    user: Viewer,
    *,
    visibility_field: str = "visibility",
    partnership_field: str = "partnership",
    named: Q | None = None,
) -> Q:
    """A filter for records carrying a visibility level and an owning partnership.

    The way to scope anything with a `Visibility` (the learning library's items, event
    materials): `Item.objects.filter(visible_to(request.user))`, naming the fields when the
    model calls them something else. Public material is open to everyone, registered to
    anyone signed in, partnership material to the owning partnership's members. Restricted
    material is open to the case review group and business unit of the owning partnership;
    `named` adds the people named on that record (e.g. a review's independent reviewer),
    whatever their role.
    """
    q = Q(**{visibility_field: Visibility.PUBLIC})
    if not user.is_authenticated:
        return q
    q |= Q(**{visibility_field: Visibility.REGISTERED})
    partnerships = partnerships_where(user)
    if partnerships:
        q |= Q(
            **{visibility_field: Visibility.PARTNERSHIP, f"{partnership_field}__in": partnerships}
        )
        restricted_partnerships = partnerships_where(
            user, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP
        )
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
