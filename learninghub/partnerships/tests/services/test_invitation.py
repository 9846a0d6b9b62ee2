"""Invitations: the business unit invites partnership staff by email; the link works once."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships import selectors, services
from learninghub.partnerships.models import Invitation, Membership, User
from learninghub.partnerships.tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "lantern-orchard-violet-42"


def invite(auditor, world, email="new.colleague@example.org", role=Role.AGENCY_LEAD, agency=None):
    return services.invitation_create(
        auditor=auditor,
        partnership=world.partnership,
        email=email,
        role=role,
        agency=world.agency if agency is None else agency,
    )


class TestInvitationCreate:
    def test_sends_one_email_with_a_link_that_works_once(self, world, bu_auditor, sent):
        with sent():
            invitation, token = invite(bu_auditor, world, email="  New.Colleague@Example.org ")

        assert len(sent.outbox) == 1
        message = sent.outbox[0]
        assert message.to == ["new.colleague@example.org"]
        assert message.subject.startswith(
            "You are invited to Northdale Safeguarding Children Partnership"
        )
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])
        assert link in message.body
        assert "bu@example.org has invited you" in message.body
        assert "as Agency lead" in message.body
        assert invitation.email == "new.colleague@example.org"
        assert selectors.invitation_get_by_token(token=token) == invitation

    def test_only_a_sha256_of_the_token_is_stored(self, world, bu_auditor):
        invitation, token = invite(bu_auditor, world)

        invitation.refresh_from_db()
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert len(token) >= 40  # 32 random bytes, URL-safe
        stored = [str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields]
        assert not any(token in value for value in stored)
        event = AuditEvent.objects.get(action="partnerships.invitation.create")
        assert token not in str(event.changes)
        assert invitation.token_hash not in str(event.changes)

    def test_expires_after_the_configured_time_and_records_who_invited(self, world, bu_auditor):
        before = timezone.now()
        invitation, _ = invite(bu_auditor, world)

        assert invitation.invited_by == world.user("business_unit")
        expected = before + settings.INVITATION_VALID_FOR
        assert abs(invitation.expires_at - expected) < timedelta(seconds=5)
        assert invitation.status == "Waiting"
        event = AuditEvent.objects.get(action="partnerships.invitation.create")
        assert event.summary == "Invited new.colleague@example.org as Agency lead"
        assert event.partnership_id == world.partnership.pk

    def test_refuses_someone_who_is_already_a_member(self, world, bu_auditor, sent):
        with sent(), pytest.raises(ValidationError) as exc:
            invite(bu_auditor, world, email="Practitioner@Example.org")
        assert exc.value.message_dict == {
            "email": [
                "practitioner@example.org is already a member of NDSCP. Change their role instead"
            ]
        }
        assert not Invitation.objects.exists()
        assert sent.outbox == []

    def test_a_member_of_another_partnership_can_be_invited(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world, email="other.bu@example.org")
        assert invitation.partnership == world.partnership

    def test_refuses_a_second_invitation_while_the_first_is_open(self, world, bu_auditor, sent):
        invite(bu_auditor, world)
        with sent(), pytest.raises(ValidationError) as exc:
            invite(bu_auditor, world, email="NEW.colleague@example.org")
        assert exc.value.message_dict == {
            "email": ["new.colleague@example.org has already been invited and has not replied yet"]
        }
        assert Invitation.objects.count() == 1
        assert sent.outbox == []

    def test_can_invite_again_once_the_first_invitation_has_expired_or_been_withdrawn(
        self, world, bu_auditor
    ):
        first, _ = invite(bu_auditor, world)
        Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now())
        second, _ = invite(bu_auditor, world)
        services.invitation_withdraw(auditor=bu_auditor, invitation=second)
        third, _ = invite(bu_auditor, world)
        assert Invitation.objects.count() == 3
        assert third.is_open

    def test_refuses_an_agency_from_another_partnership(self, world, bu_auditor, sent):
        with sent(), pytest.raises(ValidationError) as exc:
            invite(bu_auditor, world, agency=world.other_agency)
        assert exc.value.message_dict == {"agency": ["Choose an agency in this partnership"]}
        assert not Invitation.objects.exists()
        assert sent.outbox == []

    def test_no_email_is_sent_when_the_invitation_is_not_saved(
        self, world, bu_auditor, sent, fail_on_audit
    ):
        failure = fail_on_audit(1)
        with sent(), pytest.raises(failure):
            invite(bu_auditor, world)
        assert not Invitation.objects.exists()
        assert sent.outbox == []


class TestInvitationExpiry:
    def test_an_expired_invitation_cannot_be_found_by_its_token(self, world, bu_auditor):
        invitation, token = invite(bu_auditor, world)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )

        assert selectors.invitation_get_by_token(token=token) is None
        invitation.refresh_from_db()
        assert invitation.status == "Expired"

    def test_an_expired_invitation_cannot_be_accepted(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(
                invitation=invitation, full_name="Nia Colleague", password=NEW_PASSWORD
            )
        assert exc.value.message_dict == {
            "password": ["This invitation has expired or was already used"]
        }
        assert not User.objects.filter(email="new.colleague@example.org").exists()


class TestInvitationAccept:
    def test_creates_a_confirmed_account_and_the_membership(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world)

        membership = services.invitation_accept(
            invitation=invitation, full_name=" Nia Colleague ", password=NEW_PASSWORD
        )

        user = User.objects.get(email="new.colleague@example.org")
        assert user.full_name == "Nia Colleague"
        assert user.email_confirmed_at is not None  # following the emailed link proves it
        assert user.check_password(NEW_PASSWORD)
        assert membership.user == user
        assert membership.partnership == world.partnership
        assert membership.role == Role.AGENCY_LEAD
        assert membership.agency == world.agency
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None
        assert invitation.status == "Accepted"
        actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label")[1:])
        assert actions == [
            ("partnerships.user.create", "system: invitation"),
            ("partnerships.membership.create", "new.colleague@example.org"),
            ("partnerships.invitation.accept", "new.colleague@example.org"),
        ]

    def test_a_new_account_needs_a_full_name(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(invitation=invitation, full_name="  ", password=NEW_PASSWORD)
        assert exc.value.message_dict == {"full_name": ["Enter your full name"]}
        assert not User.objects.filter(email=invitation.email).exists()

    def test_a_new_account_needs_a_strong_password(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(invitation=invitation, full_name="Nia", password="short")
        assert (
            "This password is too short. It must contain at least 12 characters."
            in (exc.value.message_dict["password"])
        )
        assert not User.objects.filter(email=invitation.email).exists()
        invitation.refresh_from_db()
        assert invitation.is_open

    def test_an_existing_signed_in_person_joins_with_their_own_account(self, world, bu_auditor):
        person = UserFactory(email="new.colleague@example.org", full_name="Nia Colleague")
        invitation, _ = invite(bu_auditor, world)

        membership = services.invitation_accept(invitation=invitation, user=person)

        assert membership.user == person
        assert membership.role == Role.AGENCY_LEAD
        assert User.objects.filter(email="new.colleague@example.org").count() == 1
        person.refresh_from_db()
        assert person.check_password(TEST_PASSWORD)  # their password is untouched

    def test_someone_else_cannot_accept_it(self, world, bu_auditor):
        invitation, _ = invite(bu_auditor, world)
        intruder = world.user("other_business_unit")

        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(invitation=invitation, user=intruder)

        assert exc.value.message_dict == {
            "password": ["This invitation was sent to another email address"]
        }
        assert not Membership.objects.filter(user=intruder, partnership=world.partnership).exists()
        invitation.refresh_from_db()
        assert invitation.is_open

    def test_the_link_cannot_be_used_twice(self, world, bu_auditor):
        invitation, token = invite(bu_auditor, world)
        services.invitation_accept(invitation=invitation, full_name="Nia", password=NEW_PASSWORD)

        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(
                invitation=invitation, full_name="Someone Else", password=NEW_PASSWORD
            )
        assert exc.value.message_dict == {
            "password": ["This invitation has expired or was already used"]
        }
        assert selectors.invitation_get_by_token(token=token) is None
        assert Membership.objects.filter(user__email=invitation.email).count() == 1

    def test_nothing_is_kept_when_the_last_write_fails(self, world, bu_auditor, fail_on_audit):
        invitation, _ = invite(bu_auditor, world)
        failure = fail_on_audit(3)  # user, membership, then the acceptance itself

        with pytest.raises(failure):
            services.invitation_accept(
                invitation=invitation, full_name="Nia", password=NEW_PASSWORD
            )

        assert not User.objects.filter(email=invitation.email).exists()
        assert not Membership.objects.filter(user__email=invitation.email).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None


class TestInvitationWithdraw:
    def test_withdrawing_stops_the_link_working(self, world, bu_auditor):
        invitation, token = invite(bu_auditor, world)

        services.invitation_withdraw(auditor=bu_auditor, invitation=invitation)

        invitation.refresh_from_db()
        assert invitation.withdrawn_at is not None
        assert invitation.status == "Withdrawn"
        assert selectors.invitation_get_by_token(token=token) is None
        event = AuditEvent.objects.get(action="partnerships.invitation.withdraw")
        assert event.summary == "Withdrew the invitation for new.colleague@example.org"
        assert event.actor == world.user("business_unit")
        with pytest.raises(ValidationError):
            services.invitation_accept(
                invitation=invitation, full_name="Nia", password=NEW_PASSWORD
            )

    def test_an_invitation_cannot_be_withdrawn_twice_or_after_it_was_accepted(
        self, world, bu_auditor
    ):
        withdrawn, _ = invite(bu_auditor, world)
        services.invitation_withdraw(auditor=bu_auditor, invitation=withdrawn)
        accepted, _ = invite(bu_auditor, world)
        services.invitation_accept(invitation=accepted, full_name="Nia", password=NEW_PASSWORD)

        for invitation in (withdrawn, accepted):
            with pytest.raises(ValidationError) as exc:
                services.invitation_withdraw(auditor=bu_auditor, invitation=invitation)
            assert exc.value.message_dict == {
                "confirm": ["This invitation can no longer be withdrawn"]
            }
        assert AuditEvent.objects.filter(action="partnerships.invitation.withdraw").count() == 1

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(
        self, world, bu_auditor, fail_on_audit
    ):
        invitation, token = invite(bu_auditor, world)
        failure = fail_on_audit(1)
        with pytest.raises(failure):
            services.invitation_withdraw(auditor=bu_auditor, invitation=invitation)
        assert selectors.invitation_get_by_token(token=token) is not None


@pytest.mark.parametrize("role", ["agency_lead", "practitioner"])
def test_an_agency_lead_or_practitioner_needs_an_agency(world, role):
    from learninghub.core.audit.auditor import Auditor as _Auditor

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            auditor=_Auditor(actor=world.user("business_unit")),
            partnership=world.partnership,
            email="new.person@example.org",
            role=role,
            agency=None,
        )
    assert "Select the agency this" in error.value.message_dict["agency"][0]
    assert not Invitation.objects.filter(email="new.person@example.org").exists()
