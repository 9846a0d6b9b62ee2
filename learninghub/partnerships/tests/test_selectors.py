"""Selectors return only what the viewer may see; a record outside their scope is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from learninghub.core.permissions import Role
from learninghub.partnerships import selectors
from learninghub.partnerships.models import Invitation, User
from learninghub.partnerships.tests.factories import AgencyFactory, MembershipFactory, member


def _invitation(world, email, **kwargs):
    defaults = {
        "partnership": world.partnership,
        "role": Role.PRACTITIONER,
        "token_hash": selectors.token_digest(email),
        "invited_by": world.user("business_unit"),
        "expires_at": timezone.now() + timedelta(days=7),
    }
    return Invitation.objects.create(email=email, **{**defaults, **kwargs})


class TestManagedPartnership:
    def test_a_business_unit_member_manages_their_own_partnership(self, world):
        assert selectors.managed_partnership(world.user("business_unit")) == world.partnership
        assert selectors.managed_partnership(world.user("other_business_unit")) == (
            world.other_partnership
        )
        assert selectors.managed_partnership_ids(world.user("business_unit")) == [
            world.partnership.pk
        ]

    @pytest.mark.parametrize(
        "role",
        ["practitioner", "agency_lead", "independent_reviewer", "case_review_group"],
    )
    def test_anyone_else_gets_a_404(self, world, role):
        with pytest.raises(Http404):
            selectors.managed_partnership(world.user(role))
        assert selectors.managed_partnership_ids(world.user(role)) == []

    def test_a_system_administrator_without_a_membership_manages_no_partnership(self, world):
        with pytest.raises(Http404):
            selectors.managed_partnership(world.user("system_admin"))

    def test_an_anonymous_visitor_gets_a_404(self, world):
        with pytest.raises(Http404):
            selectors.managed_partnership(AnonymousUser())
        assert selectors.managed_partnership_ids(AnonymousUser()) == []

    def test_an_ended_business_unit_membership_no_longer_counts(self, world):
        world.user("business_unit").memberships.update(ended_at=timezone.now())
        user = User.objects.get(pk=world.user("business_unit").pk)
        with pytest.raises(Http404):
            selectors.managed_partnership(user)


class TestAgencyGetForManager:
    def test_finds_an_agency_of_the_managed_partnership(self, world):
        agency = selectors.agency_get_for_manager(
            user=world.user("business_unit"), pk=world.agency.pk
        )
        assert agency == world.agency

    def test_another_partnership_s_agency_is_a_404(self, world):
        with pytest.raises(Http404):
            selectors.agency_get_for_manager(
                user=world.user("business_unit"), pk=world.other_agency.pk
            )

    def test_a_non_manager_gets_a_404_even_for_their_own_agency(self, world):
        with pytest.raises(Http404):
            selectors.agency_get_for_manager(user=world.user("agency_lead"), pk=world.agency.pk)

    def test_an_unknown_agency_is_a_404(self, world):
        with pytest.raises(Http404):
            selectors.agency_get_for_manager(user=world.user("business_unit"), pk=999_999)


class TestMembershipList:
    def test_lists_only_this_partnership_s_current_members(self, world):
        ended = member(world.partnership, Role.PRACTITIONER, email="left@example.org")
        ended.memberships.update(ended_at=timezone.now())

        emails = {m.user.email for m in selectors.membership_list(partnership=world.partnership)}

        assert emails == {
            "practitioner@example.org",
            "lead@example.org",
            "reviewer@example.org",
            "crg@example.org",
            "bu@example.org",
        }

    def test_searches_by_part_of_a_name_whatever_its_case(self, world):
        member(world.partnership, Role.PRACTITIONER, full_name="Morgan Okafor")
        member(world.partnership, Role.PRACTITIONER, full_name="Okafor Lee")
        member(world.other_partnership, Role.PRACTITIONER, full_name="Chris Okafor")

        found = selectors.membership_list(partnership=world.partnership, search="okaf")

        assert sorted(m.user.full_name for m in found) == ["Morgan Okafor", "Okafor Lee"]

    def test_searches_by_email_address(self, world):
        found = selectors.membership_list(partnership=world.partnership, search="LEAD@example")
        assert [m.user.email for m in found] == ["lead@example.org"]

    def test_a_search_does_not_find_ended_memberships(self, world):
        person = member(world.partnership, Role.PRACTITIONER, full_name="Robin Gone")
        person.memberships.update(ended_at=timezone.now())
        assert not selectors.membership_list(partnership=world.partnership, search="Robin")

    def test_is_ordered_by_name(self, world):
        for name in ("Zara Young", "Amir Brook"):
            member(world.partnership, Role.PRACTITIONER, full_name=name)
        names = [
            m.user.full_name
            for m in selectors.membership_list(partnership=world.partnership, search="o")
            if m.user.full_name in ("Zara Young", "Amir Brook")
        ]
        assert names == ["Amir Brook", "Zara Young"]

    def test_another_partnership_s_membership_is_a_404_to_this_manager(self, world):
        other = world.user("other_business_unit").memberships.get()
        with pytest.raises(Http404):
            selectors.membership_get_for_manager(user=world.user("business_unit"), pk=other.pk)
        own = world.user("practitioner").memberships.get()
        assert (
            selectors.membership_get_for_manager(user=world.user("business_unit"), pk=own.pk) == own
        )


class TestInvitations:
    def test_the_list_excludes_accepted_and_withdrawn_invitations(self, world):
        waiting = _invitation(world, "waiting@example.org")
        expired = _invitation(
            world, "expired@example.org", expires_at=timezone.now() - timedelta(days=1)
        )
        _invitation(world, "accepted@example.org", accepted_at=timezone.now())
        _invitation(world, "withdrawn@example.org", withdrawn_at=timezone.now())
        _invitation(world, "elsewhere@example.org", partnership=world.other_partnership)

        listed = list(selectors.invitation_list(partnership=world.partnership))

        # An expired one stays listed (marked Expired) so the business unit sees it lapsed.
        assert set(listed) == {waiting, expired}
        assert {i.status for i in listed} == {"Waiting", "Expired"}

    def test_only_an_open_invitation_is_found_by_its_token(self, world):
        _invitation(world, "open@example.org")
        _invitation(world, "used@example.org", accepted_at=timezone.now())
        _invitation(world, "withdrawn@example.org", withdrawn_at=timezone.now())
        _invitation(world, "late@example.org", expires_at=timezone.now())

        assert selectors.invitation_get_by_token(token="open@example.org").email == (
            "open@example.org"
        )
        for token in ("used@example.org", "withdrawn@example.org", "late@example.org", "x"):
            assert selectors.invitation_get_by_token(token=token) is None

    def test_another_partnership_s_invitation_is_a_404_to_this_manager(self, world):
        theirs = _invitation(world, "theirs@example.org", partnership=world.other_partnership)
        with pytest.raises(Http404):
            selectors.invitation_get_for_manager(user=world.user("business_unit"), pk=theirs.pk)
        assert (
            selectors.invitation_get_for_manager(
                user=world.user("other_business_unit"), pk=theirs.pk
            )
            == theirs
        )

    def test_an_expired_invitation_does_not_block_a_new_one(self, world):
        _invitation(world, "late@example.org", expires_at=timezone.now())
        assert not selectors.open_invitation_exists(
            partnership=world.partnership, email="LATE@example.org"
        )
        _invitation(world, "open@example.org")
        assert selectors.open_invitation_exists(
            partnership=world.partnership, email="Open@Example.org"
        )


class TestScopes:
    def test_audit_scope(self, world):
        assert selectors.audit_partnership_scope(world.user("system_admin")) is None
        assert selectors.audit_partnership_scope(world.user("business_unit")) == [
            world.partnership.pk
        ]
        assert selectors.audit_partnership_scope(world.user("case_review_group")) == []
        assert selectors.audit_partnership_scope(AnonymousUser()) == []

    def test_a_business_unit_member_of_two_partnerships_sees_both(self, world):
        person = world.user("business_unit")
        MembershipFactory(user=person, partnership=world.other_partnership, role=Role.BUSINESS_UNIT)
        person = User.objects.get(pk=person.pk)
        assert selectors.audit_partnership_scope(person) == sorted(
            [world.partnership.pk, world.other_partnership.pk]
        )

    def test_user_found_by_email_whatever_its_case(self, world):
        assert selectors.user_get_by_email(email=" BU@Example.org ") == world.user("business_unit")
        assert selectors.user_get_by_email(email="nobody@example.org") is None

    def test_registration_offers_only_active_agencies(self, world):
        gone = AgencyFactory(partnership=world.partnership, is_active=False)
        offered = set(selectors.agencies_for_registration())
        assert world.agency in offered
        assert world.other_agency in offered
        assert gone not in offered
