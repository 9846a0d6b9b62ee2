"""A finding that names the child is stopped with the match shown; the business unit says why
it does not identify them, and it is saved. Checked with axe, on a 320 px phone too. The
child's details are fictional."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_narrow_screens import PHONE, assert_fits

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member
from learninghub.reviews import services
from learninghub.reviews.models import Finding
from learninghub.reviews.tests.factories import SYSTEM, open_case

pytestmark = pytest.mark.e2e


def _check(page: Page, check_a11y) -> None:
    check_a11y(page)
    assert_fits(page)


def test_a_finding_naming_the_child_is_stopped_then_saved_with_a_reason(
    page, check_a11y, hub, sign_in
):
    user = member(hub.partnership, Role.BUSINESS_UNIT, email="sam.findings@example.org")
    device = confirmed_totp(user)
    case = open_case(hub.partnership, reference="NDSCP-2026-041")
    services.identifiers_update(
        auditor=SYSTEM, child=case.children.get(), child_name="Zebedee Quartermaine"
    )

    page.set_viewport_size(PHONE)
    sign_in(page, user, device)
    page.goto(f"/reviews/cases/{case.pk}/findings/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a finding")
    # Nothing found yet: no override is offered.
    expect(page.get_by_label(re.compile("I have checked"))).to_have_count(0)
    _check(page, check_a11y)

    page.get_by_label("Finding").fill("Zebedee was not seen alone by any agency")
    page.get_by_role("button", name="Add the finding").click()

    expect(page).to_have_title(re.compile(r"^Error: Add a finding"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text('It contains "Zebedee" (the child\'s name)')
    expect(page.locator("#anonymity-check")).to_contain_text('"Zebedee" (the child\'s name)')
    _check(page, check_a11y)

    # The reason box is revealed by ticking the box.
    page.get_by_label(re.compile("I have checked, and this does not identify")).check()
    reason = page.get_by_label("Why this can be published as it is")
    expect(reason).to_be_visible()
    _check(page, check_a11y)
    reason.fill("Zebedee is the name of the health visiting team, not the child")
    page.get_by_label("Finding").fill("The Zebedee team did not see the child alone")
    page.get_by_role("button", name="Add the finding").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("The finding was added")
    _check(page, check_a11y)
    assert Finding.objects.get(case=case).text == "The Zebedee team did not see the child alone"
    override = AuditEvent.objects.get(action="core.anonymity.override")
    assert override.changes["anonymity_kinds"] == [None, "child_name"]
