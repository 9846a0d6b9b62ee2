"""The recovery codes page and signing in with a recovery code (issue 6, findings 1 and 9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import soup, text_of
from learninghub.partnerships import services
from learninghub.partnerships.models import RecoveryCode
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import TEST_PASSWORD, confirmed_totp

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:recovery_codes")
# Session, user, OTP device, memberships, the codes left; the session's "last seen" write.
RECOVERY_PAGE_MAX = 9  # measured 8


@pytest.fixture
def person(world):
    return world.user("business_unit")


@pytest.fixture
def codes(person):
    return services.recovery_codes_regenerate(user=person, password=TEST_PASSWORD)


def _sign_in_with(code: str, person) -> tuple[Client, object]:
    client = Client()
    client.post(reverse("accounts:login"), {"email": person.email, "password": TEST_PASSWORD})
    return client, client.post(reverse("accounts:two_factor"), {"token": code})


def _hashes(person) -> set[str]:
    return set(RecoveryCode.objects.filter(device__user=person).values_list("code_hash", flat=True))


def test_signing_in_with_a_recovery_code_reaches_restricted_pages(person, codes):
    confirmed_totp(person)
    client, response = _sign_in_with(codes[0], person)
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
    # Verified by the recovery code device: the two-factor middleware lets them stay.
    assert client.get(reverse("partnerships:people_list")).status_code == 200

    _, again = _sign_in_with(codes[0], person)
    assert again.status_code == 200
    assert error_summary(again) == [
        ("#id_token", "The security code is not correct, or has already been used")
    ]


def test_the_page_asks_for_the_password_and_says_how_many_codes_are_left(
    person, codes, client_for, django_assert_max_num_queries
):
    client = client_for("business_unit")
    with django_assert_max_num_queries(RECOVERY_PAGE_MAX):
        response = client.get(PAGE)
    text = page_text(response)
    assert "You have 10 unused recovery codes." in text
    assert 'type="password"' in text and "Your password" in text
    assert not any(code in text for code in codes)


def test_new_codes_need_the_password(person, codes, client_for):
    client = client_for("business_unit")
    before = _hashes(person)

    for data, message in [
        ({}, "Enter your password"),
        ({"password": "not-my-password"}, "Your password is not correct"),
    ]:
        response = client.post(PAGE, data)
        assert response.status_code == 200
        assert error_summary(response) == [("#id_password", message)]
        assert page_text(response).count("Error: Recovery codes") == 1
        assert _hashes(person) == before
    assert AuditEvent.objects.filter(action="account.recovery_codes_password_failed").count() == 1
    assert AuditEvent.objects.filter(action="account.recovery_codes").count() == 1


def test_the_right_password_shows_new_codes_once(person, codes, client_for):
    client = client_for("business_unit")
    response = client.post(PAGE, {"password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = page_text(response)
    items = [text_of(item) for item in soup(response)("li")]
    new = [code for code in items if re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}", code)]
    assert len(new) == 10 and set(new).isdisjoint(codes)
    assert "They will not be shown again" in text
    # Not kept anywhere to be shown again: not in the session, not on the next visit.
    assert not any(code in str(dict(client.session)) for code in new)
    again = page_text(client.get(PAGE))
    assert not any(code in again for code in new)
    assert AuditEvent.objects.filter(action="account.recovery_codes").count() == 2


def test_three_wrong_passwords_sign_the_person_out(person, codes, client_for):
    client = client_for("business_unit")
    for _ in range(2):
        assert client.post(PAGE, {"password": "guess-number-one"}).status_code == 200
    response = client.post(PAGE, {"password": "guess-number-three"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.post(PAGE, {"password": TEST_PASSWORD}).status_code == 302
    assert _hashes(person)  # nothing changed


def test_making_new_codes_after_signing_in_with_one_keeps_the_session(person, codes):
    confirmed_totp(person)
    client, _ = _sign_in_with(codes[0], person)
    response = client.post(PAGE, {"password": TEST_PASSWORD})
    assert response.status_code == 200 and "They will not be shown again" in page_text(response)
    assert client.get(reverse("partnerships:people_list")).status_code == 200


def test_people_without_two_factor_cannot_make_codes(world, client_for):
    response = client_for("practitioner").post(PAGE, {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not RecoveryCode.objects.exists()
