"""Whose cases a person sees: the partnerships where they are in the business unit or the
case review group."""

from __future__ import annotations

from learninghub.core.permissions import Role, partnerships_where


def _team_partnership_ids(user) -> list[int]:
    return partnerships_where(user, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)


def _business_unit_partnership_ids(user) -> list[int]:
    return partnerships_where(user, Role.BUSINESS_UNIT)


def case_team_partnership_ids(*, user) -> list[int]:
    """The partnerships whose cases this person sees as business unit or case review group."""
    return _team_partnership_ids(user)


def business_unit_partnerships(*, user) -> list:
    """The partnerships whose business unit this person is in: where they may open a case."""
    if not user.is_authenticated:
        return []
    found = {m.partnership_id: m.partnership for m in user.active_memberships}
    return [found[pk] for pk in _business_unit_partnership_ids(user)]
