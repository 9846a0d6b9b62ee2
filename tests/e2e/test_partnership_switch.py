"""A business unit member of two partnerships switches between them from the header."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import MembershipFactory, confirmed_totp, member

pytestmark = pytest.mark.e2e


def test_a_person_in_two_partnerships_switches_from_the_header(page, hub, sign_in, check_a11y):
    person = member(hub.partnership, Role.BUSINESS_UNIT, email="both.partnerships@example.org")
    MembershipFactory(
        user=person,
        partnership=hub.other_partnership,
        role=Role.BUSINESS_UNIT,
        started_at=timezone.now() - timedelta(days=30),
    )
    sign_in(page, person, confirmed_totp(person))
    header = page.locator(".hub-account")
    expect(header).to_contain_text("NDSCP")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agencies").click()
    expect(page.locator("main")).to_contain_text("Northdale Police")

    header.get_by_role("link", name="Switch partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
    check_a11y(page)
    page.get_by_label("Eastmoor Safeguarding Children Partnership (Business unit)").check()
    page.get_by_role("button", name="Work in this partnership").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You are now working in Eastmoor Safeguarding Children Partnership"
    )
    expect(header).to_contain_text("EMSCP")
    check_a11y(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agencies").click()
    expect(page.locator("main")).to_contain_text("Eastmoor Police")
    expect(page.locator("main")).not_to_contain_text("Northdale Police")

    # The header's extra link wraps on a small phone rather than pushing the page sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (reverse("core:dashboard"), reverse("accounts:partnership_switch")):
        page.goto(path)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide at 320 px"
