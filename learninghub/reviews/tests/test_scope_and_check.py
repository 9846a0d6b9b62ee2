"""One way to scope (`partnerships_where`, `visible_to`) and one way to check (`require`).

`require` asks the `rules` permission itself. Django's `user.has_perm` lets an active
superuser pass every check, so a system administrator would be let into case material no
rule gives them; these tests pin that the rule, and only the rule, decides.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from learninghub.core.permissions import Role, can, partnerships_where, require
from learninghub.partnerships.tests.factories import MembershipFactory, PartnershipFactory
from learninghub.reviews import selectors
from learninghub.reviews.tests.factories import open_case


@pytest.fixture
def admin_in_case_review_group(world):
    """A system administrator who is also in Northdale's case review group."""
    admin = world.user("system_admin")
    MembershipFactory(user=admin, partnership=world.partnership, role=Role.CASE_REVIEW_GROUP)
    return type(admin).objects.get(pk=admin.pk)


# partnerships_where -----------------------------------------------------------------------


def test_partnerships_where_lists_the_partnerships_a_role_is_held_in(world):
    person = world.user("business_unit")
    third = PartnershipFactory()
    MembershipFactory(user=person, partnership=third, role=Role.PRACTITIONER)
    person = type(person).objects.get(pk=person.pk)
    assert partnerships_where(person, Role.BUSINESS_UNIT) == [world.partnership.pk]
    assert partnerships_where(person, Role.BUSINESS_UNIT, Role.PRACTITIONER) == sorted(
        [world.partnership.pk, third.pk]
    )
    assert partnerships_where(person) == sorted([world.partnership.pk, third.pk])
    assert partnerships_where(person, Role.CASE_REVIEW_GROUP) == []


def test_partnerships_where_gives_a_system_administrator_nothing(world):
    assert partnerships_where(world.user("system_admin")) == []
    assert partnerships_where(world.user("system_admin"), *Role.values) == []


def test_partnerships_where_gives_a_visitor_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert partnerships_where(AnonymousUser(), Role.BUSINESS_UNIT) == []


# require and can ---------------------------------------------------------------------------


def test_require_refuses_a_system_administrator_what_has_perm_would_let_through(world):
    case = open_case(world.partnership)
    admin = world.user("system_admin")
    # Django's superuser pass, which views used to rely on:
    assert admin.has_perm("reviews.view_case", case)
    assert not can(admin, "reviews.view_case", case)
    with pytest.raises(Http404):
        require(admin, "reviews.view_case", case)


def test_require_keeps_what_a_rule_gives_a_system_administrator(world):
    admin = world.user("system_admin")
    require(admin, "core.view_audit_log")
    require(admin, "partnerships.manage_partnership", world.partnership)


def test_require_lets_the_case_team_through_and_no_one_else(world):
    case = open_case(world.partnership)
    require(world.user("case_review_group"), "reviews.change_case", case)
    for role in ("practitioner", "agency_lead", "independent_reviewer", "other_business_unit"):
        with pytest.raises(Http404):
            require(world.user(role), "reviews.view_case", case)


def test_require_with_a_reason_answers_403(world):
    with pytest.raises(PermissionDenied, match="Not yours"):
        require(
            world.user("other_business_unit"),
            "partnerships.manage_partnership",
            world.partnership,
            forbidden="Not yours",
        )


def test_a_permission_no_rule_names_is_refused(world):
    with pytest.raises(Http404):
        require(world.user("business_unit"), "reviews.no_such_permission")


def test_require_reads_the_page_person_or_the_api_person(world):
    request = RequestFactory().get("/")
    request.user = world.user("business_unit")
    assert can(request, "reviews.open_case")
    # The API's person is ninja's `auth` (a token's), whoever the session is.
    request.auth = world.user("practitioner")
    assert not can(request, "reviews.open_case")


def test_a_system_administrator_in_a_case_review_group_is_not_offered_to_open_a_case(
    admin_in_case_review_group, client_for
):
    """Opening a case is the business unit's; the superuser pass used to show the button."""
    client = client_for("system_admin")
    response = client.get(reverse("reviews:case_list"))
    assert response.status_code == 200
    assert "Record a serious incident notification" not in response.content.decode()
    assert client.get(reverse("reviews:case_create")).status_code == 404


# case_for: the one loader of the case pages, the stage pages and the API -----------------


def test_case_for_returns_the_case_to_its_team(world):
    case = open_case(world.partnership)
    assert selectors.case_for(world.user("case_review_group"), case.pk) == case
    assert selectors.case_for(world.user("business_unit"), case.pk, "reviews.change_case") == case


@pytest.mark.parametrize(
    "role", ["practitioner", "agency_lead", "independent_reviewer", "other_business_unit"]
)
def test_case_for_answers_404_to_anyone_else(world, role):
    case = open_case(world.partnership)
    with pytest.raises(Http404):
        selectors.case_for(world.user(role), case.pk)


def test_case_for_answers_404_when_the_permission_refuses(admin_in_case_review_group, world):
    case = open_case(world.partnership)
    assert selectors.case_for(admin_in_case_review_group, case.pk) == case
    with pytest.raises(Http404):
        selectors.case_for(admin_in_case_review_group, case.pk, "reviews.open_case")
    with pytest.raises(Http404):
        selectors.case_for(world.user("business_unit"), case.pk + 1000)


def test_the_case_pages_and_the_api_answer_alike(world, client_for):
    case = open_case(world.partnership)
    for role in ("business_unit", "other_business_unit", "system_admin"):
        client = client_for(role)
        page = client.get(reverse("reviews:case_detail", args=[case.pk])).status_code
        api = client.get(reverse("api:case_detail", args=[case.pk])).status_code
        assert page == api, role
