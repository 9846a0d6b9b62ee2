"""Forgotten passwords: a link by email, one use, no clue to who has an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships import services
from learninghub.partnerships.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-brand-new-passphrase-2026"


def _link_path(message) -> str:
    prefix = reverse("accounts:password_reset")
    return prefix + message.body.split(prefix, 1)[1].split()[0]


def _request(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def test_a_known_address_gets_a_link_and_an_unknown_one_the_same_page(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = _request(client, "practitioner@example.org")
        unknown = _request(client, "nobody@example.org")
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert [m.to for m in mail.outbox] == [["practitioner@example.org"]]
    assert "within 2 hours" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="account.password_reset_requested").count() == 1


def test_the_link_sets_a_new_password_once(world, django_capture_on_commit_callbacks):
    user = world.user("practitioner")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, user.email)
    link = _link_path(mail.outbox[0])

    assert "Choose a new password" in client.get(link).content.decode()
    short = client.post(link, {"password": "short"})
    assert "There is a problem" in short.content.decode()
    done = client.post(link, {"password": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:login")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(TEST_PASSWORD)
    assert client.get(link).status_code == 404  # used once
    event = AuditEvent.objects.get(action="account.password_reset")
    assert NEW_PASSWORD not in str(event.content())


def test_a_tampered_link_is_refused(world):
    link = reverse("accounts:password_reset_confirm", args=["MQ", "set-abcdef"])
    response = Client().get(link)
    assert response.status_code == 404
    assert "expired or was already used" in response.content.decode()
    assert services.password_reset_user(uidb64="!!", token="x") is None


def test_the_sign_in_page_offers_it(world):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in page


def test_resetting_confirms_an_unconfirmed_address(world, django_capture_on_commit_callbacks):
    # Someone registered this address first, with their own password. Its owner resets the
    # password from the emailed link: the address is theirs now, with their password.
    squatter_password = "squatter-chosen-phrase-99"
    services.practitioner_registration_request(
        email="owner@example.org",
        full_name="Not The Owner",
        password=squatter_password,
        agency=world.agency,
    )
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, "owner@example.org")
    reset = next(m for m in mail.outbox if m.subject.startswith("Reset your password"))
    assert reset.to == ["owner@example.org"]

    done = client.post(_link_path(reset), {"password": NEW_PASSWORD})

    assert done["Location"] == reverse("accounts:login")
    owner = services.selectors.user_get_by_email(email="owner@example.org")
    assert owner.email_confirmed_at is not None
    assert not owner.check_password(squatter_password)
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.changes["email_confirmed_at"][0] is None
    signed_in = Client().post(
        reverse("accounts:login"), {"email": "owner@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in["Location"] == reverse("core:dashboard")
    refused = Client().post(
        reverse("accounts:login"), {"email": "owner@example.org", "password": squatter_password}
    )
    assert "Enter a correct email address and password" in refused.content.decode()
