"""Practitioner self-registration and email confirmation (no account enumeration)."""

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

PASSWORD = "kettle-meadow-harbour-17"


def register(world, email="jo.practitioner@example.org", password=PASSWORD, **kwargs):
    return services.practitioner_register(
        email=email,
        full_name=kwargs.pop("full_name", "Jo Practitioner"),
        password=password,
        agency=kwargs.pop("agency", world.agency),
        ip_address="198.51.100.4",
    )


class TestPractitionerRegister:
    def test_creates_an_unconfirmed_practitioner_and_emails_a_confirmation_link(self, world, sent):
        with sent():
            user = register(world, email=" Jo.Practitioner@Example.org ")

        assert user.email == "jo.practitioner@example.org"
        assert user.email_confirmed_at is None
        assert user.check_password(PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == Role.PRACTITIONER
        assert membership.agency == world.agency
        assert membership.partnership == world.partnership
        assert len(sent.outbox) == 1
        message = sent.outbox[0]
        assert message.to == ["jo.practitioner@example.org"]
        assert message.subject.startswith("Confirm your email address")
        # The token carries a timestamp: take the one sent and check it confirms this person.
        prefix = (
            settings.SITE_URL.rstrip("/")
            + reverse("accounts:confirm_email", args=["TOKEN"]).split("TOKEN")[0]
        )
        assert prefix in message.body
        token = message.body.split(prefix, 1)[1].split()[0].rstrip("/")
        assert services.registration_confirm(token=token) == user
        assert "within 48 hours" in message.body
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
            result = register(world, email="PRACTITIONER@example.org")

        assert result is None
        assert User.objects.count() == users_before
        assert Membership.objects.count() == memberships_before
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
        assert not User.objects.filter(email="jo.practitioner@example.org").exists()
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
            register(world)
        assert not User.objects.filter(email="jo.practitioner@example.org").exists()
        assert not Membership.objects.filter(user__email="jo.practitioner@example.org").exists()
        assert sent.outbox == []


class TestRegistrationConfirm:
    def test_a_valid_link_confirms_the_address_once(self, world):
        user = register(world)
        token = services.confirmation_token(user)

        confirmed = services.registration_confirm(token=token)

        assert confirmed == user
        user.refresh_from_db()
        assert user.email_confirmed_at is not None
        event = AuditEvent.objects.get(action="partnerships.user.confirm_email")
        assert event.actor == user
        first_confirmed_at = user.email_confirmed_at
        # Following the link again is harmless: same person, no second event.
        assert services.registration_confirm(token=token) == user
        user.refresh_from_db()
        assert user.email_confirmed_at == first_confirmed_at
        assert AuditEvent.objects.filter(action="partnerships.user.confirm_email").count() == 1

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
        assert (
            services.registration_confirm(token=tamper(services.confirmation_token(user))) is None
        )
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_a_link_signed_for_another_purpose_is_refused(self, world):
        user = register(world)
        forged = signing.TimestampSigner(salt="something.else").sign(f"{user.pk}:{user.email}")
        assert services.registration_confirm(token=forged) is None

    def test_an_expired_link_confirms_nothing(self, world, settings):
        user = register(world)
        token = services.confirmation_token(user)
        settings.EMAIL_CONFIRMATION_VALID_FOR = timedelta(seconds=-1)

        assert services.registration_confirm(token=token) is None
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_a_link_for_an_address_since_changed_is_refused(self, world):
        user = register(world)
        token = services.confirmation_token(user)
        User.objects.filter(pk=user.pk).update(email="changed@example.org")
        assert services.registration_confirm(token=token) is None

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(self, world, fail_on_audit):
        user = register(world)
        token = services.confirmation_token(user)
        failure = fail_on_audit(1)

        with pytest.raises(failure):
            services.registration_confirm(token=token)

        user.refresh_from_db()
        assert user.email_confirmed_at is None


def test_an_existing_address_is_emailed_at_most_once_a_day(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    existing = world.user("practitioner")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            result = services.practitioner_register(
                email=existing.email,
                full_name="Someone Else",
                password="a-long-enough-passphrase-2026",
                agency=world.agency,
            )
            assert result is None
    assert [m.to for m in mail.outbox] == [[existing.email]]
