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
def is_business_unit(user, obj) -> bool:
    """Business unit of the case's partnership."""
    return has_role(user, _partnership_id(obj), Role.BUSINESS_UNIT)


@rules.predicate
def is_case_business_unit(user, obj) -> bool:
    """Business unit of the case's partnership."""
    return has_role(user, _partnership_id(obj), Role.BUSINESS_UNIT)


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


@rules.predicate
def is_partnership_business_unit(user, partnership) -> bool:
    """Business unit of this partnership (the object is the partnership itself)."""
    return partnership is not None and has_role(user, partnership.pk, Role.BUSINESS_UNIT)


# Importing cases opens them in bulk: the business unit of the partnership imported into
# (the core's import pages pass the partnership the person is working in).
rules.add_perm("reviews.import_cases", is_partnership_business_unit)
# Only the business unit names the incident's children and changes their details.
rules.add_perm("reviews.change_children", is_case_business_unit)
rules.add_perm("reviews.change_settings", in_any_business_unit)
# The case review group records its own rapid review meeting (issue 8).
rules.add_perm("reviews.record_meeting", is_case_team)
# Corrections (a review's kind, a case recorded in error) are the business unit's.
rules.add_perm("reviews.correct_case", is_business_unit)
rules.add_perm("reviews.view_dashboard", in_any_case_team)
rules.add_perm("reviews.use_calculator", in_any_business_unit)
rules.add_perm("reviews.view_timeliness", in_any_case_team)
rules.add_perm("reviews.view_own_reviews", is_independent_reviewer)
rules.add_perm("reviews.view_agency_recommendations", is_agency_lead)


@rules.predicate
def leads_the_requested_agency(user, information_request) -> bool:
    """An agency lead of the agency the request was made to, in the case's partnership."""
    if information_request is None or not user.is_authenticated:
        return False
    return any(
        m.role == Role.AGENCY_LEAD
        and m.agency_id == information_request.agency_id
        and m.partnership_id == information_request.agency.partnership_id
        for m in user.active_memberships
    )


rules.add_perm("reviews.view_agency_requests", is_agency_lead)
rules.add_perm("reviews.upload_agency_summary", leads_the_requested_agency)


@rules.predicate
def is_the_reviewer_of(user, review) -> bool:
    """The independent reviewer named on this practice review, in its partnership."""
    return (
        review is not None
        and user.is_authenticated
        and getattr(review, "independent_reviewer_id", None) == user.pk
        and has_role(user, _partnership_id(review), Role.INDEPENDENT_REVIEWER)
    )


# The forward plan (issue 8): the case team plans milestones, adds and removes its own; the
# review's independent reviewer records the dates they happened too.
rules.add_perm("reviews.plan_milestones", is_case_team)
rules.add_perm("reviews.record_milestone", is_case_team | is_the_reviewer_of)
