"""Practitioner self-registration and email confirmation (no account enumeration, no squatting).

The test settings run background tasks at once (django-tasks' ImmediateBackend), so a
registration request here ends with the account made and the email sent, as the worker would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships import services
from learninghub.partnerships.models import Membership, User
from learninghub.partnerships.tests.factories import TEST_PASSWORD, UserFactory, member

PASSWORD = "kettle-meadow-harbour-17"
OWNER_PASSWORD = "orchard-lantern-violet-58"
EMAIL = "jo.practitioner@example.org"


def register(world, email=EMAIL, password=PASSWORD, **kwargs) -> User | None:
    """Register through the request path (one queued task), then return the account."""
    services.practitioner_registration_request(
        email=email,
        full_name=kwargs.pop("full_name", "Jo Practitioner"),
        password=password,
        agency=kwargs.pop("agency", world.agency),
        ip_address="198.51.100.4",
    )
    return User.objects.filter(email__iexact=email.strip()).first()


def confirmation_link_token(message) -> str:
    # The token carries a timestamp: take the one sent rather than rebuild it.
    prefix = (
        settings.SITE_URL.rstrip("/")
        + reverse("accounts:confirm_email", args=["TOKEN"]).split("TOKEN")[0]
    )
    assert prefix in message.body
    return message.body.split(prefix, 1)[1].split()[0].rstrip("/")


class TestPractitionerRegister:
    def test_creates_an_unconfirmed_practitioner_and_emails_a_confirmation_link(self, world, sent):
        with sent():
            user = register(world, email=" Jo.Practitioner@Example.org ")

        assert user.email == EMAIL
        assert user.email_confirmed_at is None
        assert user.check_password(PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == Role.PRACTITIONER
        assert membership.agency == world.agency
        assert membership.partnership == world.partnership
        assert len(sent.outbox) == 1
        message = sent.outbox[0]
        assert message.to == [EMAIL]
        assert message.subject.startswith("Confirm your email address")
        assert "within 48 hours" in message.body
        # The link names no email address: it may end up in logs and browser histories.
        assert EMAIL not in confirmation_link_token(message)
        assert services.confirmation_user(token=confirmation_link_token(message)) == user
        events = AuditEvent.objects.filter(actor_label="system: self-registration")
        assert set(events.values_list("action", flat=True)) == {
            "partnerships.user.create",
            "partnerships.membership.create",
        }
        assert set(events.values_list("ip_address", flat=True)) == {"198.51.100.4"}
        assert PASSWORD not in str(list(events.values_list("changes", flat=True)))

    def test_an_existing_address_gets_no_new_account_and_its_owner_is_told(self, world, sent):
        users_before = User.objects.count()
        memberships_before = Membership.objects.count()
        with sent():
            register(world, email="PRACTITIONER@example.org")

        assert User.objects.count() == users_before
        assert Membership.objects.count() == memberships_before
        assert world.user("practitioner").check_password(TEST_PASSWORD)  # nothing replaced
        assert len(sent.outbox) == 1
        message = sent.outbox[0]
        assert message.to == ["practitioner@example.org"]
        assert message.subject.startswith("You already have an account")
        assert "/confirm/" not in message.body
        assert reverse("accounts:login") in message.body

    def test_a_weak_password_is_refused(self, world, sent):
        with sent(), pytest.raises(ValidationError) as exc:
            register(world, password="short")
        assert (
            "This password is too short. It must contain at least 12 characters."
            in (exc.value.message_dict["password"])
        )
        assert not User.objects.filter(email=EMAIL).exists()
        assert sent.outbox == []

    def test_a_weak_password_is_refused_for_an_existing_address_too(self, world, sent):
        # Otherwise the answer (error or "check your email") would reveal who has an account.
        with sent(), pytest.raises(ValidationError) as exc:
            register(world, email="practitioner@example.org", password="short")
        assert (
            "This password is too short. It must contain at least 12 characters."
            in (exc.value.message_dict["password"])
        )
        assert sent.outbox == []

    def test_nothing_is_kept_when_a_later_write_fails(self, world, sent, fail_on_audit):
        failure = fail_on_audit(2)  # the account is written, then the membership fails
        with sent(), pytest.raises(failure):
            services.practitioner_register(
                email=EMAIL,
                full_name="Jo Practitioner",
                password_hash="md5$salt$not-a-real-hash",
                agency=world.agency,
            )
        assert not User.objects.filter(email=EMAIL).exists()
        assert not Membership.objects.filter(user__email=EMAIL).exists()
        assert sent.outbox == []

    def test_the_queued_task_holds_no_password_or_address_in_clear(self, world, settings):
        from django_tasks_db.models import DBTaskResult

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        register(world)

        stored = DBTaskResult.objects.get()
        assert stored.task_path == "learninghub.partnerships.tasks.register_practitioner"
        text = str(stored.args_kwargs)
        for secret in (PASSWORD, EMAIL, "Jo Practitioner", "198.51.100.4", "md5$"):
            assert secret not in text
        assert not User.objects.filter(email=EMAIL).exists()  # waiting for the worker


class TestSquatting:
    """Someone registers another person's address first: its owner must still get in."""

    def squat(self, world, sent):
        with sent():
            squatter = register(
                world, password=PASSWORD, full_name="Not Jo", agency=world.other_agency
            )
        return squatter, confirmation_link_token(sent.outbox[-1])

    def test_the_owners_registration_replaces_an_unconfirmed_one(self, world, sent):
        squatter, squatter_token = self.squat(world, sent)
        with sent():
            owner = register(world, password=OWNER_PASSWORD, full_name="Jo Practitioner")

        assert owner.pk == squatter.pk  # one account for the address, now the owner's
        assert User.objects.filter(email=EMAIL).count() == 1
        assert owner.full_name == "Jo Practitioner"
        assert owner.check_password(OWNER_PASSWORD)
        assert not owner.check_password(PASSWORD)
        assert owner.email_confirmed_at is None  # still to be confirmed from the email
        active = Membership.objects.get(user=owner, ended_at__isnull=True)
        assert (active.partnership, active.agency) == (world.partnership, world.agency)
        ended = Membership.objects.get(user=owner, ended_at__isnull=False)
        assert ended.agency == world.other_agency
        replaced = AuditEvent.objects.get(action="partnerships.user.registration_replace")
        assert replaced.ip_address == "198.51.100.4"
        assert replaced.changes["password"] == ["[redacted]", "[redacted]"]
        assert OWNER_PASSWORD not in str(replaced.changes)
        # The new link went to the address; the squatter's link no longer works.
        assert [m.to for m in sent.outbox] == [[EMAIL], [EMAIL]]
        owner_token = confirmation_link_token(sent.outbox[-1])
        assert services.confirmation_user(token=squatter_token) is None
        assert services.registration_confirm(token=squatter_token, password=PASSWORD) is None
        assert services.registration_confirm(token=owner_token, password=OWNER_PASSWORD) == owner

    def test_the_same_agency_keeps_its_membership(self, world, sent):
        squatter, _ = self.squat(world, sent)
        with sent():
            register(world, password=OWNER_PASSWORD, agency=world.other_agency)
        assert Membership.objects.filter(user=squatter).count() == 1

    def test_an_unconfirmed_account_made_another_way_is_never_replaced(self, world, sent):
        # An account given a role by the business unit is not a self-registration to replace.
        member(world.partnership, Role.BUSINESS_UNIT, email=EMAIL, email_confirmed_at=None)
        with sent():
            register(world, password=OWNER_PASSWORD)
        user = User.objects.get(email=EMAIL)
        assert user.check_password(TEST_PASSWORD)
        assert sent.outbox[0].subject.startswith("You already have an account")

    def test_a_staff_account_is_never_replaced(self, world, sent):
        UserFactory(email=EMAIL, email_confirmed_at=None, is_staff=True, is_superuser=True)
        with sent():
            register(world, password=OWNER_PASSWORD)
        assert User.objects.get(email=EMAIL).check_password(TEST_PASSWORD)
        assert not Membership.objects.filter(user__email=EMAIL).exists()


class TestRegistrationConfirm:
    def test_the_link_and_the_password_confirm_the_address_once(self, world):
        user = register(world)
        token = services.confirmation_token(user)

        confirmed = services.registration_confirm(token=token, password=PASSWORD)

        assert confirmed == user
        user.refresh_from_db()
        assert user.email_confirmed_at is not None
        event = AuditEvent.objects.get(action="partnerships.user.confirm_email")
        assert event.actor == user
        first_confirmed_at = user.email_confirmed_at
        # Following the link again is harmless: same person, no second event.
        assert services.registration_confirm(token=token, password=PASSWORD) == user
        user.refresh_from_db()
        assert user.email_confirmed_at == first_confirmed_at
        assert AuditEvent.objects.filter(action="partnerships.user.confirm_email").count() == 1

    def test_the_link_alone_confirms_nothing(self, world):
        # Someone who registered another person's address must not get in when its owner
        # presses "Confirm" on an email they did not expect.
        user = register(world)
        with pytest.raises(ValidationError) as exc:
            services.registration_confirm(
                token=services.confirmation_token(user), password="someone-elses-password"
            )
        assert exc.value.message_dict["password"] == [
            "The password is not correct. Enter the password you created when you registered"
        ]
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
            lambda t: t.replace(t.split(":")[0], str(int(t.split(":")[0]) + 1), 1),
            lambda t: "not-a-token",
            lambda t: "",
        ],
        ids=["signature", "user-id", "garbage", "empty"],
    )
    def test_an_altered_link_confirms_nothing(self, world, tamper):
        user = register(world)
        token = tamper(services.confirmation_token(user))
        assert services.confirmation_user(token=token) is None
        assert services.registration_confirm(token=token, password=PASSWORD) is None
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_a_link_signed_for_another_purpose_is_refused(self, world):
        user = register(world)
        forged = signing.TimestampSigner(salt="something.else").sign(f"{user.pk}:{user.email}")
        assert services.registration_confirm(token=forged, password=PASSWORD) is None

    def test_an_expired_link_confirms_nothing(self, world, settings):
        user = register(world)
        token = services.confirmation_token(user)
        settings.EMAIL_CONFIRMATION_VALID_FOR = timedelta(seconds=-1)

        assert services.registration_confirm(token=token, password=PASSWORD) is None
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_a_link_for_an_address_since_changed_is_refused(self, world):
        user = register(world)
        token = services.confirmation_token(user)
        User.objects.filter(pk=user.pk).update(email="changed@example.org")
        assert services.registration_confirm(token=token, password=PASSWORD) is None

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(self, world, fail_on_audit):
        user = register(world)
        token = services.confirmation_token(user)
        failure = fail_on_audit(1)

        with pytest.raises(failure):
            services.registration_confirm(token=token, password=PASSWORD)

        user.refresh_from_db()
        assert user.email_confirmed_at is None


class TestConfirmationResend:
    def test_a_waiting_registration_gets_a_new_link(self, world, sent):
        user = register(world)
        with sent():
            services.confirmation_resend_request(email=" JO.practitioner@example.org")
        assert [m.to for m in sent.outbox] == [[EMAIL]]
        token = confirmation_link_token(sent.outbox[0])
        assert services.registration_confirm(token=token, password=PASSWORD) == user
        assert AuditEvent.objects.filter(action="account.confirmation_resent").count() == 1

    @pytest.mark.parametrize("email", ["practitioner@example.org", "nobody@example.org"])
    def test_a_confirmed_or_unknown_address_gets_nothing(self, world, sent, email):
        with sent():
            services.confirmation_resend_request(email=email)
        assert sent.outbox == []
        assert not AuditEvent.objects.filter(action="account.confirmation_resent").exists()


def test_an_existing_address_is_emailed_at_most_once_a_day(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    existing = world.user("practitioner")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the most the rate limit lets through in an hour
            services.practitioner_registration_request(
                email=existing.email,
                full_name="Someone Else",
                password="a-long-enough-passphrase-2026",
                agency=world.agency,
            )
    assert [m.to for m in mail.outbox] == [[existing.email]]
