"""The business unit resets two-factor for someone who lost their phone."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships import services
from learninghub.partnerships.models import RecoveryCode, RecoveryCodeDevice
from learninghub.partnerships.tests.factories import TEST_PASSWORD, confirmed_totp

pytestmark = pytest.mark.django_db


def _reset_url(user):
    return reverse("partnerships:membership_two_factor_reset", args=[user.memberships.get().pk])


def test_reset_needs_confirmation_then_removes_the_devices(world, client_for):
    reviewer = world.user("case_review_group")
    confirmed_totp(reviewer)
    services.recovery_codes_regenerate(user=reviewer, password=TEST_PASSWORD)
    bu = client_for("business_unit")

    unconfirmed = bu.post(_reset_url(reviewer), {})
    assert "Confirm that you want to do this" in unconfirmed.content.decode()
    assert TOTPDevice.objects.filter(user=reviewer).exists()

    done = bu.post(_reset_url(reviewer), {"confirm": "on"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not RecoveryCodeDevice.objects.filter(user=reviewer).exists()
    assert not RecoveryCode.objects.filter(device__user=reviewer).exists()
    event = AuditEvent.objects.get(action="account.two_factor_reset")
    assert event.actor == world.user("business_unit")
    assert event.partnership_id == world.partnership.pk

    # Their next sign-in goes to set-up, after the password.
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"email": reviewer.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:two_factor_setup")


def test_a_business_unit_member_cannot_reset_their_own(world, client_for):
    me = world.user("business_unit")
    response = client_for("business_unit").post(_reset_url(me), {"confirm": "on"})
    assert "Ask another member of the business unit" in response.content.decode()


def test_the_person_page_offers_it(world, client_for):
    page = client_for("business_unit").get(
        reverse(
            "partnerships:membership_detail",
            args=[world.user("practitioner").memberships.get().pk],
        )
    )
    assert "Reset two-factor authentication" in page.content.decode()
