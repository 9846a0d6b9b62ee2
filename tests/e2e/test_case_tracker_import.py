"""A business unit imports its case tracker from the case list, on a 320 px phone, then
downloads the case list it made. Every step fits the phone and passes axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from test_narrow_screens import assert_fits, phone_page, sign_in_on_phone

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member
from learninghub.reviews.models import Case

pytestmark = pytest.mark.e2e

TRACKER = (
    "Case ref,Child,Age,Gender,Ethnic group,Date LA aware,Died,Serious harm,Abuse or neglect,"
    "Notified to Panel\n"
    "NDL-2026-101,Child A,1 to 4,Female,White: Irish,02/03/2026,no,yes,yes,06/03/2026\n"
    "NDL-2026-102,Child B,Under 1,Male,Not known,09/03/2026,yes,no,yes,\n"
)


def test_a_business_unit_imports_its_case_tracker(
    new_page, hub, enter_password, totp_code, check_a11y, tmp_path
):
    bu = member(hub.partnership, Role.BUSINESS_UNIT, email="bu.tracker@example.org")
    page = phone_page(new_page)
    sign_in_on_phone(page, bu, enter_password, totp_code, confirmed_totp(bu))

    page.goto(reverse("reviews:case_list"))
    page.get_by_role("link", name="Import cases from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import case tracker")
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER)
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the columns")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the rows")
    assert_fits(page)
    check_a11y(page)

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    expect(page.locator("#import-counts")).to_contain_text("2 created")
    page.get_by_role("link", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.get_by_role("link", name="NDL-2026-101")).to_be_visible()
    assert_fits(page)
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as spreadsheet (.csv)").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "NDL-2026-101" in content and "NDL-2026-102" in content
    assert Case.objects.filter(partnership=hub.partnership).count() == 2
