"""Recovery codes at rest and their regeneration, through what the service has always offered
(set-up, sign-in, the recovery codes page), so these hold whatever model stores the codes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from learninghub.partnerships import services
from learninghub.partnerships.tests.conftest import error_summary
from learninghub.partnerships.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return world.user("case_review_group")


@pytest.fixture
def codes(person):
    device = services.totp_device_start(user=person)
    return services.totp_device_confirm(
        user=person, device=device, token=f"{totp(device.bin_key):06d}"
    )


def _database() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def _sign_in_with(code: str, person) -> tuple[Client, object]:
    client = Client()
    client.post(reverse("accounts:login"), {"email": person.email, "password": TEST_PASSWORD})
    return client, client.post(reverse("accounts:two_factor"), {"token": code})


def test_no_recovery_code_is_anywhere_in_the_database(codes):
    everything = _database()
    assert len(codes) == 10
    for code in codes:
        assert code.lower() not in everything
        assert code.replace("-", "").lower() not in everything


def test_making_new_codes_without_the_password_changes_nothing(person, codes):
    client, response = _sign_in_with(codes[0], person)
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")

    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    assert error_summary(response) == [("#id_password", "Enter your password")]

    # The old codes still work: nothing was replaced.
    _, response = _sign_in_with(codes[1], person)
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
