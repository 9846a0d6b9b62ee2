"""A password alone must never enrol a new authenticator on an account that has one."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.partnerships import services
from learninghub.partnerships.tests.factories import TEST_PASSWORD, confirmed_totp

pytestmark = pytest.mark.django_db


def _password_step(client, user):
    return client.post(reverse("accounts:login"), {"email": user.email, "password": TEST_PASSWORD})


def test_set_up_page_sends_an_enrolled_person_to_the_code_page(world):
    user = world.user("case_review_group")
    confirmed_totp(user)
    client = Client()
    assert _password_step(client, user)["Location"] == reverse("accounts:two_factor")

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.get(reverse("reviews:case_list")).status_code == 302  # still not signed in


def test_posting_a_code_for_a_new_device_is_refused_when_one_exists(world):
    user = world.user("business_unit")
    confirmed_totp(user)
    client = Client()
    _password_step(client, user)

    response = client.post(reverse("accounts:two_factor_setup"), {"token": "123456"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    assert not client.session.get("_auth_user_id")


def test_the_service_refuses_a_second_authenticator(world):
    user = world.user("independent_reviewer")
    confirmed_totp(user)
    spare = TOTPDevice.objects.create(user=user, name="Attacker", confirmed=False)
    code = f"{totp(base64.b32decode(base64.b32encode(spare.bin_key))):06d}"
    with pytest.raises(ValidationError) as error:
        services.totp_device_confirm(user=user, device=spare, token=code)
    assert "already set up" in str(error.value)
    spare.refresh_from_db()
    assert not spare.confirmed


def test_a_wrong_security_code_is_in_the_audit_log(world):
    from learninghub.core.audit.models import AuditEvent

    user = world.user("business_unit")
    confirmed_totp(user)
    client = Client()
    _password_step(client, user)
    client.post(reverse("accounts:two_factor"), {"token": "000000"})
    event = AuditEvent.objects.get(action="account.two_factor_failed")
    assert event.kind == "login_failed"
    assert event.partnership_id == world.partnership.pk
    assert "000000" not in str(event.content())


def test_signed_in_pages_are_not_cached(client_for):
    response = client_for("business_unit").get(reverse("core:dashboard"))
    assert response["Cache-Control"] == "private, no-store"


def test_demo_data_is_refused_where_it_is_not_allowed(settings):
    from django.core.management import CommandError, call_command

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
