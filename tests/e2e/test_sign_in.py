"""Signing in: password, two-factor (set up, code, recovery code), signing out and lockout."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import TEST_PASSWORD, confirmed_totp, member

WRONG_CODE_MESSAGE = "The security code is not correct, or has already been used"
MANAGER_LINKS = ("Agencies", "People", "Audit log")


def wrong_code_for(device) -> str:
    """A 6-digit code the device accepts at none of the time steps it tolerates."""
    accepted = {f"{totp(device.bin_key, drift=drift):06d}" for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def age_totp_throttle(device) -> None:
    """django-otp refuses any code for 1 second after a wrong one. A person cannot retype a
    code that fast; rather than sleep, move the recorded failure 1 second into the past."""
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the wrong code was counted
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=1)
    )


def menu(page):
    return page.get_by_role("navigation", name="Menu")


@pytest.mark.e2e
def test_business_unit_signs_in_with_a_security_code_and_signs_out(
    page, check_a11y, hub, enter_password, totp_code, sign_out
):
    user = member(
        hub.partnership, Role.BUSINESS_UNIT, email="sam.business@example.org", full_name="Sam Lee"
    )
    device = confirmed_totp(user)

    page.goto("/account/sign-in/")
    check_a11y(page)
    enter_password(page, user.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_a11y(page)
    page.get_by_label("Security code").fill(wrong_code_for(device))
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Enter your security code"))
    check_a11y(page)
    summary.get_by_role("link", name=WRONG_CODE_MESSAGE).click()
    expect(page.get_by_label("Security code")).to_be_focused()

    age_totp_throttle(device)
    page.get_by_label("Security code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("main")).to_contain_text(
        "You are signed in as sam.business@example.org, Business unit."
    )
    expect(page.locator(".hub-account__who")).to_have_text("Sam Lee · NDSCP")
    for text in MANAGER_LINKS:
        expect(menu(page).get_by_role("link", name=text, exact=True)).to_be_visible()
    check_a11y(page)

    sign_out(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


@pytest.mark.e2e
def test_first_sign_in_sets_up_an_authenticator_then_recovery_codes_work_once(
    page, check_a11y, hub, enter_password, sign_out
):
    user = member(hub.partnership, Role.CASE_REVIEW_GROUP, hub.agency, email="cass@example.org")

    page.goto("/account/sign-in/")
    check_a11y(page)
    enter_password(page, user.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_a11y(page)
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.get_by_label("Code from your app").fill(code)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes_list = page.get_by_test_id("recovery-codes").get_by_role("listitem")
    expect(codes_list).to_have_count(10)
    codes = [text.strip() for text in codes_list.all_inner_texts()]
    assert len(set(codes)) == 10 and all(codes)
    check_a11y(page)
    page.get_by_role("link", name=re.compile("I have kept my recovery codes")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("main")).to_contain_text("Case review group")
    check_a11y(page)
    sign_out(page)

    # Lost phone: a recovery code instead of the app's code.
    page.goto("/account/sign-in/")
    check_a11y(page)
    enter_password(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_a11y(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    check_a11y(page)
    sign_out(page)

    # Each recovery code works once.
    page.goto("/account/sign-in/")
    check_a11y(page)
    enter_password(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_a11y(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=WRONG_CODE_MESSAGE)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_a11y(page)


@pytest.mark.e2e
def test_practitioner_signs_in_without_two_factor_and_sees_no_management_pages(page, hub, sign_in):
    user = member(hub.partnership, Role.PRACTITIONER, hub.agency, email="pat@example.org")

    sign_in(page, user)  # password only: straight to the dashboard

    expect(page.get_by_role("main")).to_contain_text("Practitioner")
    expect(menu(page).get_by_role("link", name="Dashboard")).to_be_visible()
    for text in MANAGER_LINKS:
        expect(page.get_by_role("link", name=text, exact=True)).to_have_count(0)


@pytest.mark.e2e
def test_ten_wrong_passwords_lock_the_account(page, check_a11y, hub, enter_password):
    user = member(hub.partnership, Role.PRACTITIONER, hub.agency, email="locked@example.org")

    def send(password: str) -> int:
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/account/sign-in/")
        ) as answer:
            enter_password(page, user.email, password)
        return answer.value.status

    page.goto("/account/sign-in/")
    check_a11y(page)
    for attempt in range(1, 10):
        assert send(f"wrong-password-{attempt}") == 200
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter a correct email address and password"
        )
        check_a11y(page)

    assert send("wrong-password-10") == 429
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your account is locked")
    check_a11y(page)

    # While locked, even the right password is refused.
    page.goto("/account/sign-in/")
    check_a11y(page)
    assert send(TEST_PASSWORD) == 429
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your account is locked")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_a11y(page)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_a11y(page)


@pytest.mark.e2e
def test_new_recovery_codes_need_the_password_again(page, check_a11y, hub, sign_in):
    user = member(hub.partnership, Role.BUSINESS_UNIT, email="robin@example.org")
    sign_in(page, user, confirmed_totp(user))

    page.goto("/account/recovery-codes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    check_a11y(page)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Make new recovery codes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Your password is not correct")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Recovery codes"))
    expect(page.get_by_test_id("recovery-codes")).to_have_count(0)
    check_a11y(page)

    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)
    check_a11y(page)
    page.get_by_role("link", name=re.compile("I have kept my recovery codes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
