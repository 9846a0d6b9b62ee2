"""Who may see and change case review material. Deny unless a rule allows.

Case material is restricted: the partnership's business unit and case review group. An
independent reviewer sees only the review they were commissioned for; an agency lead only
the recommendations addressed to their agency.
"""

from __future__ import annotations

import rules

from learninghub.core.permissions import Role, has_role


def _partnership_id(obj) -> int | None:
    if obj is None:
        return None
    for attr in ("partnership_id",):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    case = getattr(obj, "case", None)
    return getattr(case, "partnership_id", None)


@rules.predicate
def is_case_team(user, obj) -> bool:
    """Business unit or case review group of the case's partnership."""
    return has_role(user, _partnership_id(obj), Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)


@rules.predicate
def in_any_case_team(user) -> bool:
    return user.is_authenticated and bool(user.roles & {Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP})


@rules.predicate
def in_any_business_unit(user) -> bool:
    return user.is_authenticated and Role.BUSINESS_UNIT in user.roles


@rules.predicate
def is_independent_reviewer(user) -> bool:
    return user.is_authenticated and Role.INDEPENDENT_REVIEWER in user.roles


@rules.predicate
def is_agency_lead(user) -> bool:
    return user.is_authenticated and Role.AGENCY_LEAD in user.roles


rules.add_perm("reviews.view_case", is_case_team)
rules.add_perm("reviews.change_case", is_case_team)
rules.add_perm("reviews.view_identifiers", is_case_team)
rules.add_perm("reviews.open_case", in_any_business_unit)
rules.add_perm("reviews.view_dashboard", in_any_case_team)
rules.add_perm("reviews.use_calculator", in_any_business_unit)
rules.add_perm("reviews.view_timeliness", in_any_case_team)
rules.add_perm("reviews.view_own_reviews", is_independent_reviewer)
rules.add_perm("reviews.view_agency_recommendations", is_agency_lead)
