"""Permission predicates for partnerships and people (django-rules). Deny unless a rule allows."""

from __future__ import annotations

import rules

from learninghub.core.permissions import Role, has_role, is_system_administrator


def _partnership_id(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "partnership_id", None) or getattr(obj, "pk", None)


@rules.predicate
def is_business_unit_of(user, partnership) -> bool:
    return has_role(user, _partnership_id(partnership), Role.BUSINESS_UNIT)


@rules.predicate
def is_business_unit_anywhere(user) -> bool:
    return user.is_authenticated and Role.BUSINESS_UNIT in user.roles


@rules.predicate
def is_system_admin(user) -> bool:
    return is_system_administrator(user)


rules.add_perm("partnerships.manage_partnership", is_business_unit_of | is_system_admin)
rules.add_perm("partnerships.manage_people", is_business_unit_anywhere | is_system_admin)
rules.add_perm("core.view_audit_log", is_business_unit_anywhere | is_system_admin)
