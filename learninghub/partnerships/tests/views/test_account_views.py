"""Signing in, registering, confirming an email address and accepting an invitation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.core.tests.html import field_value, soup
from learninghub.partnerships import services
from learninghub.partnerships.models import Invitation, Membership, User
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    confirmed_totp,
)

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("core:dashboard")
REGISTER = reverse("accounts:register")
NEW_PASSWORD = "lantern-orchard-violet-42"
WRONG_DETAILS = "Enter a correct email address and password"


def sign_in(client, email, password=TEST_PASSWORD, next_url=None):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, "password": password})


class TestLogin:
    def test_a_practitioner_signs_in_straight_to_the_dashboard(self, world):
        client = Client()
        response = sign_in(client, "Practitioner@Example.org")
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        assert client.get(DASHBOARD).status_code == 200
        assert AuditEvent.objects.filter(
            kind=AuditEvent.Kind.LOGIN, actor=world.user("practitioner")
        ).exists()

    def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(self, world):
        wrong_password = sign_in(Client(), "practitioner@example.org", "not-the-password")
        unknown = sign_in(Client(), "nobody@example.org", "not-the-password")

        for response in (wrong_password, unknown):
            assert response.status_code == 200
            assert "There is a problem" in page_text(response)
            assert error_summary(response) == [("#id_email", WRONG_DETAILS)]
        # Only the real account's failure is audited; the unknown address's goes to the
        # rate-limited security log, so strangers cannot grow the audit log at will.
        failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED)
        assert [f.summary for f in failures] == ["Failed sign-in for practitioner@example.org"]
        assert "not-the-password" not in str(list(failures.values("summary", "changes")))

    def test_someone_who_has_not_confirmed_their_email_is_told_to(self, world):
        UserFactory(email="new@example.org", email_confirmed_at=None)
        client = Client()

        response = sign_in(client, "new@example.org")

        assert error_summary(response) == [
            (
                "#id_email",
                "Confirm your email address first: use the link we sent you when you registered",
            )
        ]
        assert client.get(DASHBOARD).status_code == 302  # still signed out

    def test_an_unconfirmed_address_with_a_wrong_password_reveals_nothing(self, world):
        UserFactory(email="new@example.org", email_confirmed_at=None)
        response = sign_in(Client(), "new@example.org", "not-the-password")
        assert error_summary(response) == [("#id_email", WRONG_DETAILS)]

    def test_missing_answers_are_listed(self, world):
        response = Client().post(LOGIN, {"email": "", "password": ""})
        assert error_summary(response) == [
            ("#id_email", "Enter your email address"),
            ("#id_password", "Enter your password"),
        ]

    def test_a_local_next_page_is_honoured(self, world):
        response = sign_in(Client(), "practitioner@example.org", next_url="/privacy/")
        assert response["Location"] == "/privacy/"

    @pytest.mark.parametrize(
        "next_url",
        [
            "https://evil.example/steal",
            "//evil.example/steal",
            "http:evil.example",
            "javascript:alert(1)",
        ],
    )
    def test_a_next_page_on_another_site_is_ignored(self, world, next_url):
        response = sign_in(Client(), "practitioner@example.org", next_url=next_url)
        assert response["Location"] == DASHBOARD

    def test_a_business_unit_member_needs_their_code_and_then_reaches_the_next_page(self, world):
        device = confirmed_totp(world.user("business_unit"))
        client = Client()

        response = sign_in(client, "bu@example.org", next_url="/manage/people/")
        assert response["Location"] == reverse("accounts:two_factor")
        assert client.get("/manage/people/").status_code == 302  # not signed in yet

        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        done = client.post(reverse("accounts:two_factor"), {"token": code})

        assert done["Location"] == "/manage/people/"
        assert client.get("/manage/people/").status_code == 200

    def test_a_wrong_code_does_not_sign_in(self, world):
        confirmed_totp(world.user("business_unit"))
        client = Client()
        sign_in(client, "bu@example.org")

        wrong = client.post(reverse("accounts:two_factor"), {"token": "000000"})

        assert error_summary(wrong) == [
            ("#id_token", "The security code is not correct, or has already been used")
        ]
        assert client.get("/manage/people/").status_code == 302

    def test_a_business_unit_member_without_an_authenticator_is_asked_to_set_one_up(self, world):
        response = sign_in(Client(), "bu@example.org")
        assert response["Location"] == reverse("accounts:two_factor_setup")


class TestRegister:
    def _form(self, world, **overrides):
        data = {
            "full_name": "Jo Practitioner",
            "email": "jo@example.org",
            "partnership": world.partnership.pk,
            "agency": world.agency.pk,
            "password": NEW_PASSWORD,
            "csrfmiddlewaretoken": "browser-token",
        }
        data.update(overrides)
        return data

    def test_the_form_offers_every_partnership_and_active_agency(self, world):
        text = page_text(Client().get(REGISTER))
        assert "Northdale Safeguarding Children Partnership" in text
        assert "Northdale Police (NDSCP)" in text
        assert "Eastmoor Police (EMSCP)" in text

    def test_every_question_must_be_answered(self, world):
        response = Client().post(REGISTER, {"csrfmiddlewaretoken": "browser-token"})
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            ("#id_full_name", "Enter your full name"),
            ("#id_email", "Enter your work email address"),
            ("#id_partnership", "Select your partnership"),
            ("#id_agency", "Select the agency you work for"),
            ("#id_password", "Create a password"),
        ]
        assert not User.objects.filter(email="jo@example.org").exists()

    def test_the_agency_must_be_in_the_chosen_partnership(self, world):
        response = Client().post(REGISTER, self._form(world, agency=world.other_agency.pk))
        assert error_summary(response) == [
            ("#id_agency", "Choose an agency in the partnership you selected")
        ]
        assert not User.objects.filter(email="jo@example.org").exists()

    def test_a_short_password_is_refused(self, world):
        response = Client().post(REGISTER, self._form(world, password="tiny-pw"))
        assert error_summary(response) == [
            ("#id_password", "This password is too short. It must contain at least 12 characters.")
        ]
        assert not User.objects.filter(email="jo@example.org").exists()

    def test_registering_sends_a_confirmation_link_and_says_to_check_email(self, world, sent):
        client = Client()
        with sent():
            response = client.post(REGISTER, self._form(world))

        assert response["Location"] == reverse("accounts:register_sent")
        text = page_text(client.get(response["Location"]))
        assert "Check your email" in text
        assert "We have sent an email to jo@example.org" in text
        user = User.objects.get(email="jo@example.org")
        assert user.email_confirmed_at is None
        assert [m.to for m in sent.outbox] == [["jo@example.org"]]
        # The token carries a timestamp, so follow the link sent rather than rebuild it.
        prefix = reverse("accounts:confirm_email", args=["TOKEN"]).split("TOKEN")[0]
        assert f"{prefix}{user.pk}:" in sent.outbox[0].body
        link = prefix + sent.outbox[0].body.split(prefix, 1)[1].split()[0]
        # Opening the link (as a mail scanner would) shows a button and confirms nothing.
        page = client.get(link)
        assert page.status_code == 200
        assert "Confirm your email address" in page_text(page)
        user.refresh_from_db()
        assert user.email_confirmed_at is None
        assert client.post(link, {"password": NEW_PASSWORD})["Location"] == LOGIN
        user.refresh_from_db()
        assert user.email_confirmed_at is not None

    def test_an_existing_address_sees_exactly_the_same_pages(self, world, sent):
        def journey(email, password=NEW_PASSWORD):
            client = Client()
            with sent():
                first = client.post(REGISTER, self._form(world, email=email, password=password))
            follow = client.get(first["Location"]) if first.status_code == 302 else first
            main = soup(follow).find("main")
            for token in main.find_all("input", attrs={"name": "csrfmiddlewaretoken"}):
                token["value"] = ""
            return first.status_code, first.get("Location"), str(main).replace(email, "EMAIL")

        users_before = User.objects.count()
        assert journey("practitioner@example.org") == journey("jo@example.org")
        assert User.objects.count() == users_before + 1
        # The owner of the existing account is told; no second account exists.
        assert User.objects.filter(email="practitioner@example.org").count() == 1
        assert sent.outbox[0].subject.startswith("You already have an account")
        # A weak password gets the same error whether or not the address has an account.
        assert journey("practitioner@example.org", "tiny-pw") == journey("x@example.org", "tiny-pw")


def _registered(world, email="jo@example.org", password=NEW_PASSWORD, full_name="Jo"):
    services.practitioner_registration_request(
        email=email, full_name=full_name, password=password, agency=world.agency
    )
    return User.objects.get(email=email)


class TestConfirmEmail:
    def url(self, user):
        return reverse("accounts:confirm_email", args=[services.confirmation_token(user)])

    def test_opening_the_link_confirms_nothing(self, world):
        # Mail scanners and link previews follow links: only the person's POST confirms.
        user = _registered(world)

        response = Client().get(self.url(user))

        assert response.status_code == 200
        text = page_text(response)
        assert "Confirm your email address" in text
        assert "Enter the password you created when you registered with jo@example.org" in text
        assert response["Cache-Control"].startswith("max-age=0")
        user.refresh_from_db()
        assert user.email_confirmed_at is None
        assert error_summary(sign_in(Client(), "jo@example.org", NEW_PASSWORD)) == [
            (
                "#id_email",
                "Confirm your email address first: use the link we sent you when you registered",
            )
        ]

    def test_the_button_confirms_the_address_and_then_the_person_can_sign_in(self, world):
        user = _registered(world)
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.url(user))
        csrf = field_value(page, "csrfmiddlewaretoken")

        response = client.post(
            self.url(user), {"password": NEW_PASSWORD, "csrfmiddlewaretoken": csrf}
        )

        assert response["Location"] == LOGIN
        assert "Your email address is confirmed. You can now sign in" in page_text(
            client.get(LOGIN)
        )
        assert sign_in(Client(), "jo@example.org", NEW_PASSWORD)["Location"] == DASHBOARD

    def test_a_post_from_another_site_is_refused(self, world):
        user = _registered(world)
        response = Client(enforce_csrf_checks=True).post(self.url(user), {"password": NEW_PASSWORD})
        assert response.status_code == 403
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_the_password_is_needed(self, world):
        user = _registered(world)
        empty = Client().post(self.url(user), {"password": ""})
        assert error_summary(empty) == [
            ("#id_password", "Enter the password you created when you registered")
        ]
        wrong = Client().post(self.url(user), {"password": "not-the-password-at-all"})
        assert error_summary(wrong) == [
            (
                "#id_password",
                "The password is not correct. Enter the password you created when you registered",
            )
        ]
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_a_confirmed_address_is_sent_to_sign_in(self, world):
        user = _registered(world)
        url = self.url(user)
        Client().post(url, {"password": NEW_PASSWORD})

        client = Client()
        response = client.get(url)

        assert response["Location"] == LOGIN
        assert "Your email address is already confirmed. Sign in" in page_text(client.get(LOGIN))

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_altered_link_is_refused(self, world, method):
        user = _registered(world)
        token = services.confirmation_token(user) + "x"

        response = getattr(Client(), method)(
            reverse("accounts:confirm_email", args=[token]), {"password": NEW_PASSWORD}
        )

        assert response.status_code == 400
        assert "This link has expired or is not valid" in page_text(response)
        user.refresh_from_db()
        assert user.email_confirmed_at is None

    def test_an_expired_link_is_refused(self, world, settings):
        user = _registered(world)
        url = self.url(user)
        settings.EMAIL_CONFIRMATION_VALID_FOR = timedelta(seconds=-1)

        response = Client().get(url)

        assert response.status_code == 400
        text = page_text(response)
        assert "Register again" in text or "register again" in text
        assert reverse("accounts:confirmation_resend") in response.content.decode()

    def test_a_squatters_password_never_works_once_the_owner_registers(self, world, sent):
        with sent():
            _registered(world, password="squatter-chosen-phrase-99", full_name="Not Jo")
        with sent():
            owner = _registered(world, password=NEW_PASSWORD)
        assert [m.to for m in sent.outbox] == [["jo@example.org"], ["jo@example.org"]]

        # The link sent for the squatter's registration is dead, and their password gets the
        # ordinary refusal.
        prefix = reverse("accounts:confirm_email", args=["X"]).split("X")[0]
        first_link = prefix + sent.outbox[0].body.split(prefix, 1)[1].split()[0]
        assert Client().get(first_link).status_code == 400
        assert error_summary(sign_in(Client(), "jo@example.org", "squatter-chosen-phrase-99")) == [
            ("#id_email", WRONG_DETAILS)
        ]
        Client().post(self.url(owner), {"password": NEW_PASSWORD})
        assert sign_in(Client(), "jo@example.org", NEW_PASSWORD)["Location"] == DASHBOARD


RESEND = reverse("accounts:confirmation_resend")


class TestConfirmationResend:
    def test_a_waiting_registration_gets_a_new_link(self, world, sent):
        user = _registered(world)
        client = Client()
        assert "Send the confirmation email again" in page_text(client.get(RESEND))

        with sent():
            response = client.post(RESEND, {"email": "jo@example.org"})

        assert response["Location"] == reverse("accounts:confirmation_resend_sent")
        assert "Check your email" in page_text(client.get(response["Location"]))
        assert [m.to for m in sent.outbox] == [["jo@example.org"]]
        assert f"/register/confirm/{user.pk}:" in sent.outbox[0].body

    def test_every_address_gets_the_same_answer(self, world, sent):
        _registered(world)

        def answer(email):
            with sent():
                response = Client().post(RESEND, {"email": email})
            return response.status_code, response["Location"]

        waiting = answer("jo@example.org")
        confirmed = answer("practitioner@example.org")
        unknown = answer("nobody@example.org")
        assert waiting == confirmed == unknown
        assert [m.to for m in sent.outbox] == [["jo@example.org"]]

    def test_an_address_is_needed(self, world):
        response = Client().post(RESEND, {"email": "not an address"})
        assert error_summary(response) == [
            ("#id_email", "Enter an email address in the correct format, like name@example.org")
        ]

    def test_the_check_your_email_page_offers_it(self, world):
        page = Client().get(reverse("accounts:register_sent"))
        assert RESEND in page.content.decode()


class TestInvitationPage:
    @pytest.fixture
    def invitation(self, world, bu_auditor):
        invitation, token = services.invitation_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            email="nia@example.org",
            role=Role.AGENCY_LEAD,
            agency=world.agency,
        )
        invitation.token = token
        return invitation

    def url(self, invitation):
        return reverse("accounts:invitation", args=[invitation.token])

    def test_an_unknown_link_is_a_404(self, world):
        response = Client().get(reverse("accounts:invitation", args=["no-such-token"]))
        assert response.status_code == 404
        assert "This invitation has expired" in page_text(response)

    def test_an_expired_link_is_a_404(self, world, invitation):
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        response = Client().get(self.url(invitation))
        assert response.status_code == 404
        assert "This invitation has expired" in page_text(response)
        assert "Ask your partnership's business unit to invite you again" in page_text(response)

    def test_a_newcomer_creates_their_account_and_can_sign_in(self, world, invitation):
        client = Client()
        text = page_text(client.get(self.url(invitation)))
        assert "Join Northdale Safeguarding Children Partnership" in text
        assert "Agency lead" in text

        response = client.post(
            self.url(invitation), {"full_name": "Nia Colleague", "password": NEW_PASSWORD}
        )

        assert response["Location"] == LOGIN
        assert "Your account is ready" in page_text(client.get(LOGIN))
        membership = Membership.objects.get(user__email="nia@example.org")
        assert membership.role == Role.AGENCY_LEAD
        assert sign_in(client, "nia@example.org", NEW_PASSWORD)["Location"] == DASHBOARD
        # The link has been used: it cannot be used again.
        assert Client().get(self.url(invitation)).status_code == 404

    def test_a_newcomer_must_give_a_name_and_a_strong_password(self, world, invitation):
        response = Client().post(
            self.url(invitation), {"full_name": "", "password": "", "csrfmiddlewaretoken": "t"}
        )
        assert error_summary(response) == [
            ("#id_full_name", "Enter your full name"),
            ("#id_password", "Create a password"),
        ]
        weak = Client().post(self.url(invitation), {"full_name": "Nia", "password": "tiny-pw"})
        assert error_summary(weak) == [
            ("#id_password", "This password is too short. It must contain at least 12 characters.")
        ]
        assert not User.objects.filter(email="nia@example.org").exists()

    def test_someone_with_an_account_signs_in_then_accepts(self, world, invitation):
        UserFactory(email="nia@example.org")
        client = Client()
        text = page_text(client.get(self.url(invitation)))
        assert "You already have an account" in text
        assert client.post(self.url(invitation)).status_code == 200
        assert not Membership.objects.filter(user__email="nia@example.org").exists()

        signed_in = sign_in(client, "nia@example.org", next_url=self.url(invitation))
        assert signed_in["Location"] == self.url(invitation)
        assert "Accept invitation" in page_text(client.get(self.url(invitation)))
        accepted = client.post(self.url(invitation))

        assert accepted["Location"] == LOGIN
        assert "You have joined Northdale Safeguarding Children Partnership" in page_text(
            client.get(LOGIN)
        )
        assert Membership.objects.get(user__email="nia@example.org").role == Role.AGENCY_LEAD
        assert client.get(DASHBOARD).status_code == 302  # signed out to sign in again

    def test_someone_else_signed_in_cannot_accept_it(self, world, invitation, client_for):
        UserFactory(email="nia@example.org")
        client = client_for("practitioner")

        response = client.post(self.url(invitation))

        assert response.status_code == 200
        assert "Sign in as nia@example.org" in page_text(response)
        assert not Membership.objects.filter(user__email="nia@example.org").exists()
        invitation.refresh_from_db()
        assert invitation.is_open
