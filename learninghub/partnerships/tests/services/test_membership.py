"""Memberships: a person's role in a partnership, changed or ended by the business unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships import selectors, services
from learninghub.partnerships.models import Membership, User
from learninghub.partnerships.tests.factories import AgencyFactory, member

LAST_BU = "The partnership must keep at least one business unit member"


def _membership(world, role):
    return world.user(role).memberships.get()


def _fresh(user) -> User:
    """The person as the next request sees them (memberships are cached per instance)."""
    return User.objects.get(pk=user.pk)


class TestMembershipCreate:
    def test_gives_the_person_a_role_and_records_it(self, world, bu_auditor):
        person = member(world.other_partnership, Role.PRACTITIONER)
        membership = services.membership_create(
            auditor=bu_auditor,
            user=person,
            partnership=world.partnership,
            role=Role.CASE_REVIEW_GROUP,
            agency=world.agency,
        )
        assert _fresh(person).roles_in(world.partnership.pk) == {Role.CASE_REVIEW_GROUP}
        event = AuditEvent.objects.get(action="partnerships.membership.create")
        assert event.summary == f"Gave {person.email} the role Case review group"
        assert event.object_id == str(membership.pk)

    def test_a_person_has_one_active_membership_per_partnership(self, world, bu_auditor):
        with pytest.raises(ValidationError) as exc:
            services.membership_create(
                auditor=bu_auditor,
                user=world.user("practitioner"),
                partnership=world.partnership,
                role=Role.AGENCY_LEAD,
                agency=None,
            )
        assert exc.value.message_dict == {
            "email": ["practitioner@example.org is already a member of NDSCP"]
        }


class TestMembershipChange:
    def test_a_role_change_is_audited_from_old_to_new(self, world, bu_auditor):
        membership = _membership(world, "practitioner")
        health = AgencyFactory(partnership=world.partnership, name="Northdale Health")

        services.membership_change(
            auditor=bu_auditor, membership=membership, role=Role.AGENCY_LEAD, agency=health
        )

        membership.refresh_from_db()
        assert membership.role == Role.AGENCY_LEAD
        assert membership.agency == health
        event = AuditEvent.objects.get(action="partnerships.membership.update")
        assert event.summary == "Changed the role of practitioner@example.org"
        assert event.changes == {
            "role": ["practitioner", "agency_lead"],
            "agency": ["Northdale Police", "Northdale Health"],
        }
        assert event.actor == world.user("business_unit")
        assert _fresh(world.user("practitioner")).roles == {Role.AGENCY_LEAD}

    def test_the_last_business_unit_member_cannot_be_demoted(self, world, bu_auditor):
        membership = _membership(world, "business_unit")

        with pytest.raises(ValidationError) as exc:
            services.membership_change(
                auditor=bu_auditor, membership=membership, role=Role.PRACTITIONER, agency=None
            )

        assert exc.value.message_dict == {"role": [LAST_BU]}
        membership.refresh_from_db()
        assert membership.role == Role.BUSINESS_UNIT
        assert not AuditEvent.objects.filter(action="partnerships.membership.update").exists()

    def test_a_business_unit_member_can_be_demoted_while_another_remains(self, world, bu_auditor):
        member(world.partnership, Role.BUSINESS_UNIT, email="bu2@example.org")
        membership = _membership(world, "business_unit")

        services.membership_change(
            auditor=bu_auditor, membership=membership, role=Role.CASE_REVIEW_GROUP, agency=None
        )

        membership.refresh_from_db()
        assert membership.role == Role.CASE_REVIEW_GROUP

    def test_another_partnership_s_business_unit_does_not_count(self, world, bu_auditor):
        # Eastmoor has its own business unit; Northdale's only one still cannot be demoted.
        with pytest.raises(ValidationError):
            services.membership_change(
                auditor=bu_auditor,
                membership=_membership(world, "business_unit"),
                role=Role.AGENCY_LEAD,
                agency=None,
            )

    def test_an_agency_from_another_partnership_is_refused(self, world, bu_auditor):
        membership = _membership(world, "practitioner")
        with pytest.raises(ValidationError) as exc:
            services.membership_change(
                auditor=bu_auditor,
                membership=membership,
                role=Role.PRACTITIONER,
                agency=world.other_agency,
            )
        assert exc.value.message_dict == {"agency": ["Choose an agency in this partnership"]}
        membership.refresh_from_db()
        assert membership.agency == world.agency

    def test_an_ended_membership_cannot_be_changed(self, world, bu_auditor):
        membership = _membership(world, "practitioner")
        services.membership_end(auditor=bu_auditor, membership=membership)
        with pytest.raises(ValidationError) as exc:
            services.membership_change(
                auditor=bu_auditor, membership=membership, role=Role.AGENCY_LEAD, agency=None
            )
        assert exc.value.message_dict == {"role": ["This membership has ended"]}

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(
        self, world, bu_auditor, fail_on_audit
    ):
        membership = _membership(world, "practitioner")
        failure = fail_on_audit(1)
        with pytest.raises(failure):
            services.membership_change(
                auditor=bu_auditor, membership=membership, role=Role.BUSINESS_UNIT, agency=None
            )
        membership.refresh_from_db()
        assert membership.role == Role.PRACTITIONER
        assert membership.agency == world.agency


class TestMembershipEnd:
    def test_ending_sets_the_end_date_and_the_person_loses_their_role(self, world, bu_auditor):
        membership = _membership(world, "agency_lead")

        services.membership_end(auditor=bu_auditor, membership=membership)

        membership.refresh_from_db()
        assert membership.ended_at is not None
        assert not membership.is_active
        lead = _fresh(world.user("agency_lead"))
        assert lead.roles == frozenset()
        assert lead.current_partnership is None
        assert membership not in selectors.membership_list(partnership=world.partnership)
        event = AuditEvent.objects.get(action="partnerships.membership.end")
        assert event.summary == "Ended the membership of lead@example.org"
        assert event.changes["ended_at"][0] is None
        assert event.changes["ended_at"][1] is not None

    def test_an_ended_business_unit_member_can_no_longer_manage(self, world, bu_auditor):
        member(world.partnership, Role.BUSINESS_UNIT, email="bu2@example.org")
        membership = _membership(world, "business_unit")

        services.membership_end(auditor=bu_auditor, membership=membership)

        assert selectors.managed_partnership_ids(_fresh(world.user("business_unit"))) == []

    def test_the_last_business_unit_member_cannot_be_removed(self, world, bu_auditor):
        membership = _membership(world, "business_unit")
        with pytest.raises(ValidationError) as exc:
            services.membership_end(auditor=bu_auditor, membership=membership)
        assert exc.value.message_dict == {"confirm": [LAST_BU]}
        membership.refresh_from_db()
        assert membership.is_active

    def test_of_two_business_unit_members_only_one_can_be_removed(self, world, bu_auditor):
        second = member(world.partnership, Role.BUSINESS_UNIT, email="bu2@example.org")
        services.membership_end(auditor=bu_auditor, membership=second.memberships.get())
        with pytest.raises(ValidationError):
            services.membership_end(
                auditor=bu_auditor, membership=_membership(world, "business_unit")
            )
        assert selectors.managed_partnership_ids(_fresh(world.user("business_unit"))) == [
            world.partnership.pk
        ]

    def test_a_membership_cannot_be_ended_twice(self, world, bu_auditor):
        membership = _membership(world, "practitioner")
        services.membership_end(auditor=bu_auditor, membership=membership)
        with pytest.raises(ValidationError) as exc:
            services.membership_end(auditor=bu_auditor, membership=membership)
        assert exc.value.message_dict == {"confirm": ["This membership has already ended"]}
        assert AuditEvent.objects.filter(action="partnerships.membership.end").count() == 1

    def test_someone_whose_membership_ended_can_be_invited_back(self, world, bu_auditor):
        services.membership_end(auditor=bu_auditor, membership=_membership(world, "practitioner"))
        invitation, _ = services.invitation_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            email="practitioner@example.org",
            role=Role.PRACTITIONER,
            agency=world.agency,
        )
        membership = services.invitation_accept(
            invitation=invitation, user=world.user("practitioner")
        )
        assert membership.is_active
        assert Membership.objects.filter(user=world.user("practitioner")).count() == 2

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(
        self, world, bu_auditor, fail_on_audit
    ):
        membership = _membership(world, "practitioner")
        failure = fail_on_audit(1)
        with pytest.raises(failure):
            services.membership_end(auditor=bu_auditor, membership=membership)
        membership.refresh_from_db()
        assert membership.ended_at is None
