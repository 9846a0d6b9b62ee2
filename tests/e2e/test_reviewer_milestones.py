"""The independent reviewer records when a milestone of their review happened (issue 8).

From their own review, they open the milestones, see the plan with an overdue milestone,
are refused a date in the future (the field named), then record the date it happened.
Every page is checked with axe, and at 320 px wide nothing scrolls sideways.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from test_narrow_screens import PHONE, assert_fits

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member
from learninghub.reviews import services
from learninghub.reviews.models import MilestoneKind
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case

pytestmark = pytest.mark.e2e


def _fill_date(page, group: str, value: date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(value.day))
    fieldset.get_by_label("Month").fill(str(value.month))
    fieldset.get_by_label("Year").fill(str(value.year))


def test_the_independent_reviewer_records_a_milestone(page, hub, sign_in, check_a11y):
    reviewer = member(hub.partnership, Role.INDEPENDENT_REVIEWER, email="reviewer.m@example.org")
    device = confirmed_totp(reviewer)
    case = reviewed_case(hub.partnership, reference="NDSCP-2025-041", reviewer=reviewer)
    review = case.practice_review
    event = review.milestones.get(kind=MilestoneKind.PRACTITIONER_EVENT)
    services.milestone_update(auditor=SYSTEM, milestone=event, planned_on=date(2026, 2, 27))

    sign_in(page, reviewer, device)
    page.set_viewport_size(PHONE)

    page.goto(reverse("reviews:reviewer_review", args=[review.pk]))
    check_a11y(page)
    assert_fits(page)
    page.get_by_role("link", name="Record the dates milestones happened").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Milestones")
    main = page.locator("main")
    expect(main).to_contain_text("Overdue")
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    check_a11y(page)
    assert_fits(page)

    page.get_by_role("link", name="Record the date for Practitioner event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practitioner event")
    expect(main).to_contain_text("Planned for: 27 February 2026")
    check_a11y(page)
    assert_fits(page)

    # A date in the future is refused, naming the field.
    _fill_date(page, "Date it happened", date(2099, 3, 4))
    page.get_by_role("button", name="Save the milestone").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date it happened must be today or in the past")
    check_a11y(page)
    assert_fits(page)

    _fill_date(page, "Date it happened", date(2026, 3, 4))
    page.get_by_role("button", name="Save the milestone").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Milestones")
    expect(main).to_contain_text("Practitioner event was saved")
    row = page.locator("tr", has_text="Practitioner event")
    expect(row).to_contain_text("4 March 2026")
    expect(row).to_contain_text("Done")
    check_a11y(page)
    assert_fits(page)
    event.refresh_from_db()
    assert event.actual_on == date(2026, 3, 4)
