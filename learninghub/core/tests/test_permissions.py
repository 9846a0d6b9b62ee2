"""Who sees what: `visible_to` and the role helpers every selector builds on.

No model with a visibility level exists yet, so the filter `visible_to` returns is evaluated
against plain records by a small interpreter of `Q` objects (exact and `__in` lookups, AND,
OR, NOT). A deny-by-default rule is then checked record by record, the way a selector would
apply it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db.models import Q

from learninghub.core.permissions import (
    ROLES_REQUIRING_TWO_FACTOR,
    Role,
    Visibility,
    has_role,
    is_system_administrator,
    visible_to,
)

NORTHDALE, EASTMOOR = 1, 2


# A tiny Q interpreter ----------------------------------------------------------------------


def matches(q: Q | tuple, record: dict) -> bool:
    if isinstance(q, tuple):
        lookup, expected = q
        name, _, op = lookup.partition("__")
        if name not in record:
            raise KeyError(f"The filter reads {name!r}, which the record does not have")
        value = record[name]
        if op in ("", "exact"):
            return value == expected
        if op == "in":
            return value in list(expected)
        raise NotImplementedError(f"lookup {op!r}")
    results = [matches(child, record) for child in q.children]
    outcome = all(results) if q.connector == Q.AND else any(results)
    return not outcome if q.negated else outcome


def test_the_interpreter_itself():
    record = {"a": 1, "b": "x"}
    assert matches(Q(a=1), record)
    assert not matches(Q(a=2), record)
    assert matches(Q(a__in=[1, 3]), record)
    assert not matches(Q(a__in=[]), record)
    assert matches(Q(a=2) | Q(b="x"), record)
    assert not matches(Q(a=1) & Q(b="y"), record)
    assert matches(~Q(a=2), record)
    with pytest.raises(KeyError):
        matches(Q(c=1), record)


# Viewers and records -----------------------------------------------------------------------


@dataclass
class FakeViewer:
    """Implements the `Viewer` protocol the core reads, as the user model does."""

    roles: dict[int, set[str]] = field(default_factory=dict)
    is_authenticated: bool = True
    is_superuser: bool = False
    pk: int = 500

    def roles_in(self, partnership_id: int) -> frozenset[str]:
        return frozenset(self.roles.get(partnership_id, ()))

    @property
    def partnership_ids(self) -> frozenset[int]:
        return frozenset(self.roles)


ANONYMOUS = FakeViewer(is_authenticated=False)


def viewer(role: str, partnership: int = NORTHDALE, **kwargs) -> FakeViewer:
    return FakeViewer(roles={partnership: {role}}, **kwargs)


RECORDS = {
    f"{level}-{name}": {"visibility": level, "partnership": pid, "reviewer": None}
    for level in Visibility.values
    for name, pid in (("northdale", NORTHDALE), ("eastmoor", EASTMOOR))
}


def visible(user, **kwargs) -> set[str]:
    q = visible_to(user, **kwargs)
    return {key for key, record in RECORDS.items() if matches(q, record)}


EVERYONE = {"public-northdale", "public-eastmoor"}
REGISTERED = EVERYONE | {"registered-northdale", "registered-eastmoor"}


# visible_to --------------------------------------------------------------------------------


def test_anonymous_sees_public_only():
    assert visible(ANONYMOUS) == EVERYONE


def test_anonymous_is_not_helped_by_a_named_filter():
    records = {"visibility": "restricted", "partnership": NORTHDALE, "reviewer": None}
    assert not matches(visible_to(ANONYMOUS, named=Q(reviewer=None)), records)


def test_practitioner_sees_registered_and_own_partnership_but_nothing_restricted():
    assert visible(viewer(Role.PRACTITIONER)) == REGISTERED | {"partnership-northdale"}


@pytest.mark.parametrize("role", [Role.AGENCY_LEAD, Role.INDEPENDENT_REVIEWER])
def test_other_members_see_their_partnership_but_not_restricted(role):
    assert visible(viewer(role)) == REGISTERED | {"partnership-northdale"}


@pytest.mark.parametrize("role", [Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP])
def test_business_unit_and_case_review_group_see_their_own_restricted(role):
    assert visible(viewer(role)) == REGISTERED | {"partnership-northdale", "restricted-northdale"}
    assert visible(viewer(role, EASTMOOR)) == REGISTERED | {
        "partnership-eastmoor",
        "restricted-eastmoor",
    }


def test_a_registered_person_with_no_membership_sees_registered_only():
    assert visible(FakeViewer(roles={})) == REGISTERED


def test_roles_are_per_partnership():
    # Business unit in Northdale, practitioner in Eastmoor: restricted only in Northdale.
    person = FakeViewer(roles={NORTHDALE: {Role.BUSINESS_UNIT}, EASTMOOR: {Role.PRACTITIONER}})
    assert visible(person) == REGISTERED | {
        "partnership-northdale",
        "partnership-eastmoor",
        "restricted-northdale",
    }


def test_a_named_person_sees_that_restricted_record_only():
    reviewer = viewer(Role.INDEPENDENT_REVIEWER)
    records = {
        "their-review": {"visibility": "restricted", "partnership": NORTHDALE, "reviewer": 500},
        "another-review": {"visibility": "restricted", "partnership": NORTHDALE, "reviewer": 9},
        "eastmoor-review": {"visibility": "restricted", "partnership": EASTMOOR, "reviewer": 500},
        "named-on-public": {"visibility": "public", "partnership": EASTMOOR, "reviewer": 500},
    }
    q = visible_to(reviewer, named=Q(reviewer=reviewer.pk))
    seen = {key for key, record in records.items() if matches(q, record)}
    # Named on a review, whichever partnership owns it; never on others.
    assert seen == {"their-review", "eastmoor-review", "named-on-public"}
    without = visible_to(reviewer)
    assert not any(matches(without, r) for r in records.values() if r["visibility"] == "restricted")


def test_the_named_clause_never_widens_partnership_material():
    reviewer = viewer(Role.INDEPENDENT_REVIEWER)
    record = {"visibility": "partnership", "partnership": EASTMOOR, "reviewer": reviewer.pk}
    assert not matches(visible_to(reviewer, named=Q(reviewer=reviewer.pk)), record)


def test_field_names_can_be_chosen():
    records = {
        "mine": {"level": "partnership", "owner": NORTHDALE},
        "theirs": {"level": "partnership", "owner": EASTMOOR},
    }
    q = visible_to(viewer(Role.PRACTITIONER), visibility_field="level", partnership_field="owner")
    assert {k for k, r in records.items() if matches(q, r)} == {"mine"}


def test_an_unknown_visibility_is_seen_by_nobody():
    record = {"visibility": "secret", "partnership": NORTHDALE, "reviewer": None}
    for person in (
        ANONYMOUS,
        viewer(Role.BUSINESS_UNIT),
        FakeViewer(roles={}, is_superuser=True),
    ):
        assert not matches(visible_to(person), record)


def test_a_system_administrator_flag_alone_opens_no_case_material():
    # The superuser runs the service; reading restricted case material needs a role in the
    # owning partnership like anyone else (deny by default).
    admin = FakeViewer(roles={}, is_superuser=True)
    assert visible(admin) == REGISTERED


# Role helpers ------------------------------------------------------------------------------


def test_is_system_administrator():
    assert is_system_administrator(FakeViewer(is_superuser=True))
    assert not is_system_administrator(FakeViewer(is_superuser=False))
    assert not is_system_administrator(FakeViewer(is_superuser=True, is_authenticated=False))


def test_has_role():
    person = viewer(Role.CASE_REVIEW_GROUP)
    assert has_role(person, NORTHDALE, Role.CASE_REVIEW_GROUP)
    assert has_role(person, NORTHDALE, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)
    assert not has_role(person, NORTHDALE, Role.BUSINESS_UNIT)
    assert not has_role(person, EASTMOOR, Role.CASE_REVIEW_GROUP)
    assert not has_role(person, None, Role.CASE_REVIEW_GROUP)
    assert not has_role(ANONYMOUS, NORTHDALE, Role.PRACTITIONER)


def test_roles_that_see_restricted_material_need_two_factor():
    # Whoever `visible_to` lets see restricted records must be in the two-factor set.
    assert {Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP} <= ROLES_REQUIRING_TWO_FACTOR
    # The independent reviewer is named on restricted reviews.
    assert Role.INDEPENDENT_REVIEWER in ROLES_REQUIRING_TWO_FACTOR
    assert Role.PRACTITIONER not in ROLES_REQUIRING_TWO_FACTOR


def test_visibility_levels_run_from_widest_to_narrowest():
    assert Visibility.values == ["public", "registered", "partnership", "restricted"]


# With the real user model ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_extra"),
    [
        ("practitioner", {"partnership-northdale"}),
        ("agency_lead", {"partnership-northdale"}),
        ("independent_reviewer", {"partnership-northdale"}),
        ("case_review_group", {"partnership-northdale", "restricted-northdale"}),
        ("business_unit", {"partnership-northdale", "restricted-northdale"}),
        ("other_business_unit", {"partnership-eastmoor", "restricted-eastmoor"}),
        ("system_admin", set()),
    ],
)
def test_visible_to_with_real_users(world, role, expected_extra):
    records = {
        f"{level}-{name}": {"visibility": level, "partnership": pid}
        for level in Visibility.values
        for name, pid in (
            ("northdale", world.partnership.pk),
            ("eastmoor", world.other_partnership.pk),
        )
    }
    q = visible_to(world.user(role))
    assert {k for k, r in records.items() if matches(q, r)} == REGISTERED | expected_extra


def test_an_ended_membership_gives_nothing(world):
    from django.utils import timezone

    user = world.user("case_review_group")
    membership = user.memberships.get()
    # Reaching past services is fine in a test: only the ended state matters here.
    type(membership).objects.filter(pk=membership.pk).update(ended_at=timezone.now())
    fresh = type(user).objects.get(pk=user.pk)
    record = {"visibility": "restricted", "partnership": world.partnership.pk}
    assert not matches(visible_to(fresh), record)
    assert fresh.partnership_ids == frozenset()
