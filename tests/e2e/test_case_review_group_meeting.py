"""A case review group member opens the rapid review's meeting pack and records the meeting:
who attended, the views given, and the decision with its reasons.

Every page is checked with axe, and at 320 px wide nothing scrolls sideways.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect
from test_narrow_screens import PHONE, assert_fits

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import AgencyFactory, confirmed_totp, member
from learninghub.reviews import services
from learninghub.reviews.models import RapidReview
from learninghub.reviews.tests.factories import notified_case

pytestmark = pytest.mark.e2e

ATTENDEES = "Robin Hale, chair\nSam Ortega, detective inspector, Northdale Police"
VIEWS = "The police and health agree that information was not shared when the family moved"
REASONS = "Two agencies did not share what they knew: learning a local review can draw out"


def test_case_review_group_records_the_meeting_with_the_decision(page, hub, sign_in, check_a11y):
    partnership = hub.partnership
    health = AgencyFactory(partnership=partnership, name="Northdale Health")
    case = notified_case(partnership, reference="NDSCP-2025-031", agencies=[hub.agency, health])
    business_unit = member(partnership, Role.BUSINESS_UNIT, email="bu.meeting@example.org")
    police = services.information_request_create(
        auditor=Auditor(actor=business_unit),
        case=case,
        agency=hub.agency,
        requested_on=date(2025, 12, 9),
    )
    services.information_request_create(
        auditor=Auditor(actor=business_unit),
        case=case,
        agency=health,
        requested_on=date(2025, 12, 9),
    )
    services.information_request_return(
        auditor=Auditor(actor=business_unit),
        request=police,
        returned_on=date(2025, 12, 15),
        file=SimpleUploadedFile("police-summary.pdf", pdf_bytes("A fictional police summary")),
    )
    user = member(partnership, Role.CASE_REVIEW_GROUP, email="crg.member@example.org")
    device = confirmed_totp(user)
    meeting_day = calendar.add_working_days(date(2025, 12, 8), 8)

    sign_in(page, user, device)
    page.set_viewport_size(PHONE)

    # The rapid review links to the meeting pack.
    page.goto(reverse("reviews:rapid_review", args=[case.pk]))
    page.get_by_role("link", name="Meeting pack").click()
    expect(page.get_by_role("heading", name="Meeting pack")).to_be_visible()
    main = page.locator("main")
    # The summaries received, with the download; who has not returned one; the chronology.
    expect(page.get_by_role("link", name="police-summary.pdf")).to_be_visible()
    expect(main).to_contain_text("Northdale Health: due")
    expect(main).to_contain_text("Summary returned: " + hub.agency.name)
    expect(main).to_contain_text("Child A")
    expect(main).to_contain_text("Referral for a national review")
    check_a11y(page)
    assert_fits(page)

    # Record the meeting, first without its reasons: refused, naming the field.
    page.get_by_role("group", name="Date of the meeting").get_by_label("Day").fill(
        str(meeting_day.day)
    )
    page.get_by_role("group", name="Date of the meeting").get_by_label("Month").fill(
        str(meeting_day.month)
    )
    page.get_by_role("group", name="Date of the meeting").get_by_label("Year").fill(
        str(meeting_day.year)
    )
    page.get_by_label("Who attended").fill(ATTENDEES)
    page.get_by_label("Views given at the meeting").fill(VIEWS)
    page.get_by_label("Local child safeguarding practice review").check()
    page.get_by_role("button", name="Record the meeting").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reasons for the decision")
    check_a11y(page)
    assert_fits(page)

    page.get_by_label("Reasons for the decision").fill(REASONS)
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The rapid review meeting was recorded"
    )
    expect(main).to_contain_text("with the decision: local child safeguarding practice review")
    expect(main).to_contain_text("Rapid review meeting")  # now in the chronology
    check_a11y(page)
    assert_fits(page)

    saved = RapidReview.objects.get(case=case)
    assert saved.meeting_date == meeting_day
    assert saved.meeting_attendees == ATTENDEES
    assert saved.meeting_views == VIEWS
    assert (saved.decision, saved.decision_reasons) == ("local_review", REASONS)
