"""A spreadsheet import in the browser, on a 320 px phone: upload, columns, check, import.

The core has no importer of its own; the test registers the core tests' agency importer for
its own run only. Every step must fit the phone and pass axe.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from test_narrow_screens import assert_fits, phone_page, sign_in_on_phone

from learninghub.core import spreadsheets
from learninghub.core.permissions import Role
from learninghub.core.tests.spreadsheet_importer import AgencyImporter, agency_model
from learninghub.partnerships.tests.factories import confirmed_totp, member

pytestmark = pytest.mark.e2e

LONG = "Northdale Integrated Multi-Agency Safeguarding Hub Supplementary Provision"
CSV = (
    "Organisation name for this partnership's tracker,Agency type,Active\n"
    f"{LONG},Education,yes\n"
    "Northdale Bakery,Bakery,perhaps\n"
)
FIXED = CSV.replace("Bakery,Bakery,perhaps", "Youth Service,Youth justice,no")


@pytest.fixture
def importer():
    importer = AgencyImporter()
    spreadsheets.register(importer)
    yield importer
    spreadsheets.unregister(importer.name)


def test_import_on_a_phone(
    new_page, hub, importer, enter_password, totp_code, check_a11y, tmp_path
):
    bu = member(hub.partnership, Role.BUSINESS_UNIT, email="bu.import@example.org")
    page = phone_page(new_page)
    sign_in_on_phone(page, bu, enter_password, totp_code, confirmed_totp(bu))

    def upload(content: str) -> None:
        page.goto(reverse("core:import_upload", kwargs={"name": importer.name}))
        expect(page.get_by_role("heading", level=1)).to_have_text("Import test agencies")
        assert_fits(page)
        check_a11y(page)
        path = tmp_path / "tracker.csv"
        path.write_text(content)
        page.get_by_label("Upload a file").set_input_files(str(path))
        page.get_by_role("button", name="Upload and continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose the columns")
        assert_fits(page)
        check_a11y(page)
        page.get_by_label("Agency name").select_option(
            "Organisation name for this partnership's tracker"
        )
        page.get_by_role("button", name="Check the rows").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check the rows")
        assert_fits(page)
        check_a11y(page)

    upload(CSV)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has 2 problems")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    upload(FIXED)
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    expect(page.locator("#import-counts")).to_contain_text("2 created")
    assert_fits(page)
    check_a11y(page)
    assert agency_model().objects.filter(partnership=hub.partnership, name=LONG).exists()
