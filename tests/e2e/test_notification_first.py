"""A case begins with its notification: the business unit records one naming two siblings,
and the case is open with its clock running in needs attention, on a 320 px phone too."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from test_narrow_screens import PHONE, assert_fits

from learninghub.core import calendar
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member

pytestmark = pytest.mark.e2e


def _fill_date(page: Page, legend: str, value) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    for label, part in zip(
        ("Day", "Month", "Year"), (value.day, value.month, value.year), strict=True
    ):
        group.get_by_label(label, exact=True).fill(str(part))


def _child(page: Page, number: int, name: str, age: str, sex: str, who: str) -> None:
    child = page.get_by_role("group", name=re.compile(rf"^Child {number}\b"))
    child.get_by_label("Pseudonym").fill(name)
    child.get_by_role("group", name=f"Age of {who}").get_by_label(age).check()
    child.get_by_role("group", name=f"Sex of {who}").get_by_label(sex, exact=True).check()
    child.get_by_label(f"Ethnicity of {who}").select_option(label="Not known")


def _check(page: Page, check_a11y) -> None:
    check_a11y(page)
    assert_fits(page)


def test_business_unit_records_a_notification_naming_two_children(page, check_a11y, hub, sign_in):
    user = member(hub.partnership, Role.BUSINESS_UNIT, email="sam.intake@example.org")
    device = confirmed_totp(user)
    today = timezone.localdate()
    aware = calendar.subtract_working_days(today, 1)
    due = calendar.due_date("notification", aware)
    reference = f"NDSCP-{aware.year}-001"

    page.set_viewport_size(PHONE)
    sign_in(page, user, device)
    page.goto("/reviews/cases/")
    page.get_by_role("button", name="Record a serious incident notification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a serious incident notification"
    )
    _check(page, check_a11y)

    # Nothing filled in: every question with an error says what to do.
    page.get_by_role("button", name="Record the notification").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a serious incident notification"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in (
        "Enter the date the local authority became aware",
        "Enter a pseudonym for the child",
        "Select the sex of the child",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    _check(page, check_a11y)

    _fill_date(page, "When did the local authority become aware of the incident?", aware)
    page.get_by_role("group", name="What happened?").get_by_label(
        "A child was seriously harmed"
    ).check()
    page.get_by_label("Abuse or neglect is known or suspected").check()
    page.get_by_role("group", name="Was the child looked after, or a care leaver?").get_by_label(
        "Neither"
    ).check()
    page.get_by_role("button", name="Add another child").click()
    expect(page.get_by_role("group", name=re.compile(r"^Child 2\b"))).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    _check(page, check_a11y)

    _child(page, 1, "Child E", "1 to 4", "Female", "child 1")
    _child(page, 2, "Child F", "5 to 9", "Male", "child 2")
    expect(page.get_by_label("Case reference")).to_have_value(reference)
    page.get_by_role("button", name="Record the notification").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{reference}: Child E and Child F"
    )
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"case {reference} opened"
    )
    expect(page.locator("#children")).to_contain_text("Child E")
    expect(page.locator("#children")).to_contain_text("Child F")
    expect(page.locator("#deadlines")).to_contain_text(calendar.format_date(due))
    _check(page, check_a11y)

    page.goto("/reviews/")
    attention = page.locator("main")
    expect(attention).to_contain_text(reference)
    expect(attention).to_contain_text(calendar.format_date(due))
    _check(page, check_a11y)
