"""A practitioner registers, confirms their email address from the email, and signs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

FULL_NAME = "Priya Practitioner"
EMAIL = "priya.practitioner@example.org"
PASSWORD = "violet-harbour-lantern-42"
REQUIRED_MESSAGES = [
    "Enter your full name",
    "Enter your work email address",
    "Select your partnership",
    "Select the agency you work for",
    "Create a password",
]


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, f"No link in the email: {message.body}"
    return match.group(0)


@pytest.mark.e2e
def test_practitioner_registers_confirms_email_and_signs_in(
    page, check_a11y, hub, enter_password, live_server
):
    page.goto("/account/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register as a practitioner")
    check_a11y(page)

    # Nothing filled in: one message per field, each linked to its field.
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Register as a practitioner"))
    links = summary.get_by_role("link")
    expect(links).to_have_text(REQUIRED_MESSAGES)
    for index in range(len(REQUIRED_MESSAGES)):
        target = links.nth(index).get_attribute("href")
        assert target and target.startswith("#")
        expect(page.locator(target)).to_have_count(1)
    expect(page.locator(".govuk-error-message")).to_have_count(len(REQUIRED_MESSAGES))
    check_a11y(page)

    # A password under 12 characters.
    page.get_by_label("Full name").fill(FULL_NAME)
    page.get_by_label("Work email address").fill(EMAIL)
    page.get_by_label("Safeguarding partnership").select_option(label=hub.partnership.name)
    page.get_by_label("Agency you work for").select_option(label="Northdale Police (NDSCP)")
    page.get_by_label("Create a password", exact=True).fill("short-pw1")
    page.get_by_role("button", name="Register").click()
    expect(summary.get_by_role("link")).to_have_text(
        ["This password is too short. It must contain at least 12 characters."]
    )
    expect(page.get_by_label("Full name")).to_have_value(FULL_NAME)
    expect(page.get_by_label("Agency you work for")).to_have_value(str(hub.agency.pk))
    check_a11y(page)
    assert mail.outbox == []

    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    check_a11y(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]

    # The email did not arrive (say): ask for it again.
    page.get_by_role("link", name="send the confirmation email again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the confirmation email again")
    check_a11y(page)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send the email again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_a11y(page)
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == [EMAIL]
    link = link_in(message)
    assert link.startswith(live_server.url + "/account/register/confirm/")

    # Opening the link confirms nothing (mail scanners follow links): the person confirms
    # with the password they chose, so someone who registered their address cannot.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    check_a11y(page)
    confirm = page.get_by_role("button", name="Confirm your email address")
    confirm.click()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the password you created when you registered"]
    )
    check_a11y(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    confirm.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your email address is confirmed"
    )
    check_a11y(page)

    enter_password(page, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("main")).to_contain_text(f"You are signed in as {EMAIL}, Practitioner.")
    check_a11y(page)
