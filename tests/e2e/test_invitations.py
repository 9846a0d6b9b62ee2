"""The business unit invites someone; they follow the emailed link, join and sign in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member

INVITEE = "nia.lead@example.org"
PASSWORD = "copper-meadow-signal-77"


@pytest.mark.e2e
def test_business_unit_invites_someone_who_joins_and_signs_in(
    page, new_page, check_a11y, hub, sign_in, enter_password, live_server
):
    manager = member(hub.partnership, Role.BUSINESS_UNIT, email="sam.business@example.org")
    sign_in(page, manager, confirmed_totp(manager))

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    check_a11y(page)

    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check_a11y(page)

    page.get_by_label("Email address", exact=True).fill("nia.lead-at-example.org")
    page.get_by_label("Agency lead", exact=True).check()
    page.get_by_label("Agency", exact=True).select_option(label=hub.agency.name)
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter an email address in the correct format, like name@example.org"]
    )
    expect(page).to_have_title(re.compile(r"^Error: Invite someone"))
    expect(page.get_by_label("Agency lead", exact=True)).to_be_checked()
    check_a11y(page)
    assert mail.outbox == []

    page.get_by_label("Email address", exact=True).fill(INVITEE)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"An invitation was sent to {INVITEE}"
    )
    expect(page.get_by_role("table", name="Invitations waiting for a reply")).to_contain_text(
        INVITEE
    )
    check_a11y(page)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [INVITEE]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(live_server.url + "/account/invitation/")

    # The invitee, in their own browser.
    invitee = new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(f"Join {hub.partnership.name}")
    expect(invitee.get_by_role("main")).to_contain_text("Agency lead")
    check_a11y(invitee)
    invitee.get_by_label("Full name").fill("Nia Lead")
    invitee.get_by_label("Create a password", exact=True).fill(PASSWORD)
    invitee.get_by_role("button", name="Create account and join").click()

    expect(invitee.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(invitee.locator(".govuk-notification-banner")).to_contain_text(
        f"Your account is ready. Sign in to {hub.partnership.name}"
    )
    check_a11y(invitee)
    enter_password(invitee, INVITEE, PASSWORD)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(invitee.get_by_role("main")).to_contain_text(
        f"You are signed in as {INVITEE}, Agency lead."
    )
    check_a11y(invitee)

    # The business unit now sees them as a member.
    page.reload()
    expect(page.get_by_role("table", name=re.compile(r"^Members"))).to_contain_text("Nia Lead")
    check_a11y(page)
