"""Case reviews on the statutory clock: from notification to the decision to review.

Every date typed is relative to today (and never in the future), so the journey behaves the
same whatever day it runs.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.core.taxonomy.models import Theme
from learninghub.partnerships.models import AgencyType
from learninghub.partnerships.tests.factories import AgencyFactory, confirmed_totp, member
from learninghub.reviews import services

SYSTEM = Auditor.for_system("e2e tests")
REFERENCE = "NDSCP-2026-001"
NOT_NOTIFIABLE = (
    "A notifiable incident is one where the child died or was seriously harmed. Select at least one"
)
RESPONSE_BEFORE_SENT = (
    "You cannot record the Panel's response before the rapid review was sent to the Panel"
)
LOCAL_REVIEW = "Local child safeguarding practice review"
TINY_PDF = pdf_bytes("A fictional police summary")


def days_ago(working_days: int) -> date:
    return calendar.subtract_working_days(timezone.localdate(), working_days)


def long_date(d: date) -> str:
    return calendar.format_date(d)


def status_text(due: date, done_on: date | None = None) -> str:
    """The tag the page shows for a deadline, e.g. "Due soon"."""
    status = calendar.deadline_status(due, done_on=done_on, today=timezone.localdate())
    return str(status).capitalize()


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu")


def case_sections(page: Page) -> Locator:
    return page.get_by_role("navigation", name=f"Case {REFERENCE}")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def group(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend, exact=True)


def fill_date(page: Page, legend: str, value: date | None) -> None:
    """Type a date into a GOV.UK date input (day, month, year), or clear it."""
    fieldset = group(page, legend)
    parts = (value.day, value.month, value.year) if value else ("", "", "")
    for label, part in zip(("Day", "Month", "Year"), parts, strict=True):
        fieldset.get_by_label(label, exact=True).fill(str(part))


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def error_summary(page: Page) -> Locator:
    return page.locator(".govuk-error-summary")


def deadline(page: Page) -> Locator:
    return page.locator("#deadline")


def table_rows(page: Page, caption: str) -> Locator:
    table = page.locator("table").filter(has=page.locator("caption", has_text=caption))
    return table.locator("tbody tr")


def neglect() -> Theme:
    # The starting themes come from a data migration, which a transactional test's flush
    # removes once an earlier test has run.
    return Theme.objects.get_or_create(name="Neglect", defaults={"slug": "neglect"})[0]


def notified_case(partnership, *, reference: str, pseudonym: str, agencies=(), sent=True):
    """A case opened and notified through the services, with dates relative to today."""
    case = services.case_open(
        auditor=SYSTEM,
        partnership=partnership,
        reference=reference,
        children=[
            {"pseudonym": pseudonym, "age_band": "5_9", "sex": "male", "ethnicity": "not_known"}
        ],
        agencies=list(agencies),
    )
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        incident_date=days_ago(20),
        aware_date=days_ago(20),
        child_died=False,
        seriously_harmed=True,
        abuse_or_neglect_suspected=True,
        care_status="",
        sent_to_panel_on=days_ago(18) if sent else None,
        sent_to_ofsted_on=None,
        sent_to_secretary_of_state_on=None,
        panel_reference="",
    )
    return case


@pytest.mark.e2e
def test_business_unit_takes_a_case_from_notification_to_the_decision_to_review(
    page, check_a11y, hub, sign_in
):
    partnership = hub.partnership
    social_care = AgencyFactory(
        partnership=partnership,
        name="Northdale Children's Social Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )
    health = AgencyFactory(
        partnership=partnership,
        name="Northdale NHS Foundation Trust",
        agency_type=AgencyType.HEALTH_TRUST,
    )
    neglect()
    # Another case whose notification is overdue: it leads the "needs attention" list.
    notified_case(partnership, reference="NDSCP-2026-000", pseudonym="Child Z", sent=False)
    user = member(
        partnership, Role.BUSINESS_UNIT, email="sam.business@example.org", full_name="Sam Lee"
    )
    device = confirmed_totp(user)

    today = timezone.localdate()
    incident, aware, notified = days_ago(4), days_ago(3), days_ago(2)
    meeting, returned, signed_off, rapid_review_sent = days_ago(2), days_ago(1), days_ago(1), today
    summary_due = calendar.add_working_days(notified, 10)

    sign_in(page, user, device)

    # A case begins with its notification ----------------------------------------------
    menu(page).get_by_role("link", name="Cases", exact=True).click()
    expect(heading(page)).to_have_text("Cases")
    check_a11y(page)
    page.get_by_role("button", name="Record a serious incident notification").click()
    expect(heading(page)).to_have_text("Record a serious incident notification")
    check_a11y(page)

    page.get_by_role("button", name="Record the notification").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a serious incident notification"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    for message in (
        "Enter the date the local authority became aware",
        NOT_NOTIFIABLE,
        "Enter a pseudonym for the child",
        "Select the age of the child",
        "Select the sex of the child",
        "Select the ethnic group of the child, or Not known",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    check_a11y(page)
    summary.get_by_role("link").first.click()
    aware_group = group(page, "When did the local authority become aware of the incident?")
    expect(aware_group.get_by_label("Day", exact=True)).to_be_focused()

    fill_date(page, "When did the local authority become aware of the incident?", aware)
    fill_date(page, "Date of the incident (optional)", incident)
    group(page, "What happened?").get_by_label("A child was seriously harmed").check()
    page.get_by_label("Abuse or neglect is known or suspected").check()
    page.get_by_label("Pseudonym", exact=True).fill("Child A")
    group(page, "Age of the child").get_by_label("1 to 4").check()
    group(page, "Sex of the child").get_by_label("Female").check()
    page.get_by_label("Ethnicity of the child").select_option(label="White: Irish")
    page.get_by_label("Case reference").fill(REFERENCE)
    page.get_by_role("button", name="Record the notification").click()

    expect(heading(page)).to_have_text(f"{REFERENCE}: Child A")
    expect(success_banner(page)).to_contain_text(f"case {REFERENCE} opened")
    notification_due = calendar.add_working_days(aware, 5)
    expect(page.locator("#deadlines")).to_contain_text(long_date(notification_due))
    check_a11y(page)

    # The rest of the case's details follow.
    page.get_by_role("link", name="Change case details").click()
    agencies = group(page, "Agencies involved")
    agencies.get_by_label("Northdale Police").check()
    agencies.get_by_label(social_care.name).check()
    group(page, "Themes").get_by_label("Neglect", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    details = page.locator(".govuk-summary-card")
    expect(details).to_contain_text("Child A")
    expect(details).to_contain_text(f"{social_care.name}, Northdale Police")
    expect(details).to_contain_text("Neglect")
    check_a11y(page)

    # Notification -----------------------------------------------------------------------
    case_sections(page).get_by_role("link", name="Notification").click()
    expect(page.get_by_role("heading", name="Notifications due")).to_be_visible()
    expect(deadline(page)).to_contain_text(
        f"Notify the Panel by {long_date(notification_due)}: "
        f"5 working days from becoming aware on {long_date(aware)}"
    )
    expect(deadline(page).locator(".govuk-tag")).to_have_text(status_text(notification_due))
    check_a11y(page)

    fill_date(page, "Date sent to the Panel", notified)
    page.get_by_label("Panel reference").fill("CSPRP-0001")
    page.get_by_role("button", name="Save the notification").click()
    expect(success_banner(page)).to_contain_text("The notification was saved")
    expect(deadline(page).locator(".govuk-tag")).to_have_text("Met")
    expect(deadline(page)).to_contain_text(f"Sent to the Panel on {long_date(notified)}")
    check_a11y(page)

    # Rapid review: agencies' summaries ----------------------------------------------------
    case_sections(page).get_by_role("link", name="Rapid review").click()
    rapid_review_due = calendar.add_working_days(notified, 15)
    expect(deadline(page)).to_contain_text(
        f"Complete and send to the Panel by {long_date(rapid_review_due)}: "
        f"15 working days from notification on {long_date(notified)}"
    )
    expect(deadline(page).locator(".govuk-tag")).to_have_text(status_text(rapid_review_due))
    check_a11y(page)

    # One form asks both agencies at once.
    page.get_by_role("button", name="Ask agencies for their summaries").click()
    expect(heading(page)).to_have_text("Ask agencies for their summaries")
    expect(group(page, "Date the summaries are due")).to_contain_text(
        f"Leave blank for day 10: {long_date(summary_due)}"
    )
    check_a11y(page)
    for agency in ("Northdale Police", health.name):
        page.get_by_label(agency).check()
    fill_date(page, "Date requested", notified)
    page.get_by_role("button", name="Send the requests").click()
    expect(success_banner(page)).to_contain_text("Asked for their summaries")
    check_a11y(page)

    summaries = table_rows(page, "Summaries requested from agencies")
    expect(summaries).to_have_count(2)
    police_row = summaries.filter(has_text="Northdale Police")
    expect(police_row).to_contain_text(long_date(summary_due))
    expect(police_row).to_contain_text("Not yet")

    police_row.get_by_role("link", name="Record summary from Northdale Police").click()
    expect(heading(page)).to_have_text("Record the summary from Northdale Police")
    check_a11y(page)
    fill_date(page, "Date the summary was returned", returned)
    page.get_by_label("The agency's summary", exact=True).set_input_files(
        {"name": "police-summary.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    page.get_by_role("button", name="Record the summary").click()
    expect(success_banner(page)).to_contain_text("The summary from Northdale Police was recorded")
    police_row = table_rows(page, "Summaries requested from agencies").filter(
        has_text="Northdale Police"
    )
    expect(police_row).to_contain_text(long_date(returned))
    expect(police_row.locator(".govuk-tag")).to_have_text("Met")
    expect(police_row.get_by_role("link", name=re.compile(r"^police-summary\.pdf"))).to_be_visible()
    check_a11y(page)

    # Rapid review: meeting, decision and the Panel ----------------------------------------
    fill_date(page, "Date of the rapid review meeting", meeting)
    fill_date(page, "Date the safeguarding partners signed it off", signed_off)
    group(page, "Decision").get_by_label(LOCAL_REVIEW).check()
    page.get_by_label("Reasons for the decision").fill(
        "Agencies did not share what they knew about the family's circumstances."
    )
    # The Panel's answer, before the rapid review has been sent: refused.
    group(page, "Response").get_by_label("Agrees with the decision").check()
    fill_date(page, "Date of the Panel's response", today)
    page.get_by_role("button", name="Save the rapid review").click()

    expect(page).to_have_title(re.compile(rf"^Error: Rapid review – {REFERENCE}"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(group(page, "Response")).to_contain_text(RESPONSE_BEFORE_SENT)
    # Nothing was saved: the rapid review is still open.
    expect(deadline(page).locator(".govuk-tag")).to_have_text(status_text(rapid_review_due))
    check_a11y(page)
    summary.get_by_role("link", name=RESPONSE_BEFORE_SENT).click()
    expect(group(page, "Response").get_by_label("Agrees with the decision")).to_be_focused()

    fill_date(page, "Date sent to the Panel", rapid_review_sent)
    page.get_by_role("button", name="Save the rapid review").click()
    expect(success_banner(page)).to_contain_text("The rapid review was saved")
    expect(deadline(page).locator(".govuk-tag")).to_have_text("Met")
    expect(deadline(page)).to_contain_text(f"Sent to the Panel on {long_date(rapid_review_sent)}")
    expect(group(page, "Decision").get_by_label(LOCAL_REVIEW)).to_be_checked()
    check_a11y(page)

    # Practice review --------------------------------------------------------------------
    case_sections(page).get_by_role("link", name="Practice review").click()
    expect(page.get_by_role("heading", name="Start the practice review")).to_be_visible()
    expect(group(page, "Type of review").get_by_label(LOCAL_REVIEW)).to_be_checked()
    check_a11y(page)
    fill_date(page, "Date of the decision to hold the review", today)
    page.get_by_role("button", name="Start the practice review").click()

    publication_due = calendar.add_calendar_months(today, 6)
    expect(success_banner(page)).to_contain_text("The practice review was started")
    expect(page.get_by_role("heading", level=2, name=LOCAL_REVIEW)).to_be_visible()
    expect(deadline(page)).to_contain_text(
        f"Publish by {long_date(publication_due)}: 6 months from the decision on {long_date(today)}"
    )
    expect(deadline(page).locator(".govuk-tag")).to_have_text(status_text(publication_due))
    check_a11y(page)

    # Needs attention: every open deadline, soonest first ----------------------------------
    menu(page).get_by_role("link", name="Needs attention").click()
    expect(heading(page)).to_have_text("Needs attention")
    rows = table_rows(page, "Open deadlines")
    # The statutory clocks, and the work around them: the summary still outstanding after
    # the rapid review went, and the reviewer to appoint.
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("NDSCP-2026-000")
    expect(rows.nth(0)).to_contain_text("Notification to the Panel")
    expect(rows.nth(0).locator(".govuk-tag")).to_have_text("Overdue")
    expect(rows.nth(1)).to_contain_text(REFERENCE)
    expect(rows.nth(1)).to_contain_text(
        f"Agency summaries outstanding after the rapid review was sent: {health.name}"
    )
    expect(rows.nth(1)).to_contain_text(long_date(rapid_review_sent))
    expect(rows.nth(2)).to_contain_text(f"Agency summary: {health.name}")
    expect(rows.nth(2)).to_contain_text(long_date(summary_due))
    expect(rows.nth(3)).to_contain_text("Independent reviewer not yet appointed")
    expect(rows.nth(3)).to_contain_text(long_date(calendar.add_working_days(today, 10)))
    expect(rows.nth(4)).to_contain_text(REFERENCE)
    expect(rows.nth(4)).to_contain_text("Publication of the practice review")
    expect(rows.nth(4)).to_contain_text(f"6 months from the decision on {long_date(today)}")
    # Met deadlines are closed: they are not listed.
    expect(page.get_by_role("main")).not_to_contain_text("Rapid review to the Panel")
    expect(page.locator("#count-overdue .govuk-heading-xl")).to_have_text("2")
    check_a11y(page)
    rows.nth(1).get_by_role("link", name=REFERENCE).click()
    expect(heading(page)).to_have_text(f"{REFERENCE}: Child A")
    check_a11y(page)


@pytest.mark.e2e
def test_reviewer_sees_only_their_review_and_an_agency_lead_only_recommendations(
    new_page, check_a11y, hub, sign_in, sign_out
):
    partnership = hub.partnership
    reviewer = member(
        partnership,
        Role.INDEPENDENT_REVIEWER,
        email="ira.reviewer@example.org",
        full_name="Ira Reviewer",
    )
    device = confirmed_totp(reviewer)
    lead = member(partnership, Role.AGENCY_LEAD, hub.agency, email="lee.lead@example.org")

    case = notified_case(
        partnership, reference=REFERENCE, pseudonym="Child A", agencies=[hub.agency]
    )
    services.rapid_review_update(
        auditor=SYSTEM,
        case=case,
        meeting_date=days_ago(12),
        partners_signed_off_on=days_ago(11),
        decision="local_review",
        decision_reasons="Significant learning about multi-agency working",
        sent_to_panel_on=days_ago(10),
    )
    decided_on = days_ago(5)
    review = services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=decided_on
    )
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        independent_reviewer=reviewer,
        methodology="silp",
        terms_of_reference="How agencies shared information about Child A.",
    )
    services.recommendation_add(
        auditor=SYSTEM,
        case=case,
        text="Police to share domestic abuse notifications with schools within 24 hours.",
        to_partnership=False,
        agencies=[hub.agency],
    )
    other = notified_case(partnership, reference="NDSCP-2026-002", pseudonym="Child B")

    # The independent reviewer: their review, and nothing else ------------------------------
    page = new_page()
    sign_in(page, reviewer, device)
    expect(menu(page).get_by_role("link", name="Cases", exact=True)).to_have_count(0)
    expect(menu(page).get_by_role("link", name="Needs attention")).to_have_count(0)
    menu(page).get_by_role("link", name="Your reviews").click()
    expect(heading(page)).to_have_text("Your reviews")
    check_a11y(page)
    page.get_by_role("link", name=REFERENCE).click()
    expect(heading(page)).to_have_text(LOCAL_REVIEW)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Child A")
    expect(main).to_contain_text("Significant Incident Learning Process (SILP)")
    expect(main).to_contain_text("How agencies shared information about Child A.")
    expect(main).to_contain_text(f"6 months from the decision on {long_date(decided_on)}")
    # The review's own deadlines only: not the notification's or the rapid review's.
    expect(main).not_to_contain_text("Notification to the Panel")
    check_a11y(page)

    for url in (f"/reviews/cases/{other.pk}/", f"/reviews/cases/{case.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(heading(page)).to_have_text("Page not found")
        expect(page.get_by_role("main")).not_to_contain_text("Child B")
        check_a11y(page)
    sign_out(page)

    # The agency lead: the recommendations addressed to their agency, none of the case -------
    page = new_page()
    sign_in(page, lead)
    expect(menu(page).get_by_role("link", name="Cases", exact=True)).to_have_count(0)
    menu(page).get_by_role("link", name="Recommendations").click()
    expect(heading(page)).to_have_text("Recommendations for your agency")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Police to share domestic abuse notifications with schools")
    expect(main).not_to_contain_text(REFERENCE)
    expect(main).not_to_contain_text("Child A")
    check_a11y(page)

    for url in (f"/reviews/cases/{case.pk}/", f"/reviews/cases/{case.pk}/rapid-review/"):
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(heading(page)).to_have_text("Page not found")
        check_a11y(page)
