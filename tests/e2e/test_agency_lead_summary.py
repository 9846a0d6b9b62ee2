"""An agency lead does their part: the business unit asks two agencies for their summaries in
one form; the police's agency lead follows the emailed link, signs in, opens the request and
uploads the summary; the business unit sees it returned. Every page is checked with axe, and
the agency lead's pages on a 320 px phone too."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from test_narrow_screens import PHONE, too_wide

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import AgencyFactory, confirmed_totp, member
from learninghub.reviews import services

pytestmark = pytest.mark.e2e

SYSTEM = Auditor.for_system("e2e tests")
REFERENCE = "NDSCP-2026-031"
LEAD = "lee.lead@example.org"
SUMMARY_PDF = pdf_bytes("A fictional police summary of involvement")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def fill_date(page: Page, legend: str, value) -> None:
    fieldset = page.get_by_role("group", name=legend, exact=True)
    for label, part in zip(("Day", "Month", "Year"), (value.day, value.month, value.year)):
        fieldset.get_by_label(label, exact=True).fill(str(part))


def fits(page: Page) -> None:
    problems = too_wide(page)
    assert not problems, "\n".join(problems)


def _notified_case(partnership):
    today = timezone.localdate()
    aware = calendar.subtract_working_days(today, 4)
    case = services.case_open(
        auditor=SYSTEM,
        partnership=partnership,
        reference=REFERENCE,
        children=[
            {"pseudonym": "Child Q", "age_band": "5_9", "sex": "male", "ethnicity": "not_known"}
        ],
        agencies=[],
    )
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        incident_date=aware,
        aware_date=aware,
        child_died=False,
        seriously_harmed=True,
        abuse_or_neglect_suspected=True,
        care_status="",
        sent_to_panel_on=calendar.subtract_working_days(today, 2),
        sent_to_ofsted_on=None,
        sent_to_secretary_of_state_on=None,
        panel_reference="",
    )
    return case


def test_business_unit_asks_two_agencies_and_the_police_lead_uploads_the_summary(
    page, new_page, check_a11y, hub, sign_in, live_server
):
    health = AgencyFactory(partnership=hub.partnership, name="Northdale Health")
    manager = member(hub.partnership, Role.BUSINESS_UNIT, email="sam.business@example.org")
    lead = member(hub.partnership, Role.AGENCY_LEAD, hub.agency, email=LEAD)
    member(hub.partnership, Role.AGENCY_LEAD, health, email="hana.health@example.org")
    case = _notified_case(hub.partnership)
    notified = case.notification.sent_to_panel_on
    due = calendar.add_working_days(notified, 10)

    # The business unit asks both agencies in one form.
    sign_in(page, manager, confirmed_totp(manager))
    page.goto(f"/reviews/cases/{case.pk}/rapid-review/")
    check_a11y(page)
    page.get_by_role("button", name="Ask agencies for their summaries").click()
    expect(heading(page)).to_have_text("Ask agencies for their summaries")
    check_a11y(page)
    page.get_by_role("button", name="Send the requests").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select at least one agency to ask"
    )
    check_a11y(page)
    page.get_by_label("Northdale Police").check()
    page.get_by_label("Northdale Health").check()
    page.get_by_label("What is asked").fill(
        "Your agency's involvement with Child Q's family in the last two years"
    )
    fill_date(page, "Date requested", timezone.localdate())
    page.get_by_role("button", name="Send the requests").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Asked for their summaries: Northdale Health, Northdale Police"
    )
    check_a11y(page)

    # Each agency's lead is emailed; the police lead's email links to their request.
    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {LEAD, "hana.health@example.org"}
    email = emails[LEAD]
    assert REFERENCE in email.subject
    assert calendar.format_date(due) in email.body
    link = re.search(r"https?://\S+/reviews/requests/\d+/", email.body).group(0)
    assert link.startswith(live_server.url)

    # The agency lead, on their phone, follows the link and signs in.
    phone = new_page()
    phone.set_viewport_size(PHONE)
    sign_in(phone, lead)
    toggle = phone.get_by_role("button", name="Menu")
    if toggle.is_visible():  # the menu folds away behind a button on a phone
        toggle.click()
    phone.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Information requests"
    ).click()
    expect(heading(phone)).to_have_text("Information requests")
    expect(phone.locator("tbody tr")).to_have_count(1)
    expect(phone.locator("tbody tr")).to_contain_text("Awaited")
    check_a11y(phone)
    fits(phone)
    phone.goto(link)
    expect(heading(phone)).to_have_text(f"Summary for {REFERENCE}")
    expect(phone.get_by_role("main")).to_contain_text("involvement with Child Q's family")
    check_a11y(phone)
    fits(phone)
    phone.get_by_role("button", name="Upload the summary").click()
    expect(phone.locator(".govuk-error-summary")).to_contain_text(
        "Choose the agency's summary file"
    )
    check_a11y(phone)
    fits(phone)
    phone.get_by_label("File").set_input_files(
        {"name": "police-summary.pdf", "mimeType": "application/pdf", "buffer": SUMMARY_PDF}
    )
    phone.get_by_role("button", name="Upload the summary").click()
    expect(phone.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your summary was uploaded"
    )
    returned = f"Returned on {calendar.format_date(timezone.localdate())}"
    expect(phone.get_by_role("main")).to_contain_text(returned)
    expect(phone.get_by_role("main")).to_contain_text("police-summary.pdf")
    check_a11y(phone)
    fits(phone)
    # Nothing else of the case.
    response = phone.goto(f"/reviews/cases/{case.pk}/")
    assert response is not None and response.status == 404

    # The business unit was told, and sees the summary returned.
    told = [m for m in mail.outbox if m.to == ["sam.business@example.org"]]
    assert [m.subject for m in told] == [
        f"Summary received from Northdale Police for case {REFERENCE}"
    ]
    page.reload()
    police = page.locator("tbody tr").filter(has_text="Northdale Police")
    expect(police).to_contain_text(calendar.format_date(timezone.localdate()))
    expect(police).to_contain_text("police-summary.pdf")
    check_a11y(page)

    # The health request is withdrawn, with a reason; its lead is told.
    page.get_by_role("link", name="Withdraw the request to Northdale Health").click()
    expect(heading(page)).to_have_text("Withdraw the request to Northdale Health")
    check_a11y(page)
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the request is withdrawn"
    )
    check_a11y(page)
    page.get_by_label("Why is the request withdrawn?").fill("No involvement with the family")
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The request to Northdale Health was withdrawn"
    )
    health_row = page.locator("tbody tr").filter(has_text="Northdale Health")
    expect(health_row).to_contain_text("Withdrawn on")
    check_a11y(page)
    withdrawn = [m for m in mail.outbox if m.to == ["hana.health@example.org"]]
    assert [m.subject for m in withdrawn][-1] == (
        f"Request withdrawn: summary for case {REFERENCE}"
    )
