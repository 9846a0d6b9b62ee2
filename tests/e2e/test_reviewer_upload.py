"""The independent reviewer sees what the business unit shared with them (and nothing else of
the case), uploads a draft report and then a new version of it; the business unit is told."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from test_narrow_screens import too_wide

from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import confirmed_totp, member
from learninghub.reviews import services
from learninghub.reviews.tests.factories import reviewed_case

pytestmark = pytest.mark.e2e

DRAFT = pdf_bytes("A fictional first draft")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def _pdf(name: str):
    return {"name": name, "mimeType": "application/pdf", "buffer": DRAFT}


def test_the_reviewer_sees_what_was_shared_and_uploads_a_draft_and_a_new_version(
    page, check_a11y, hub, sign_in
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    manager = member(hub.partnership, Role.BUSINESS_UNIT, email="sam.business@example.org")
    reviewer = member(hub.partnership, Role.INDEPENDENT_REVIEWER, email="indy@example.org")
    case = reviewed_case(hub.partnership, reviewer=reviewer)
    bu = Auditor(actor=manager)
    for title, share in (("Police summary", True), ("Meeting notes", False)):
        document = services.document_upload(
            auditor=bu,
            case=case,
            stage="rapid_review",
            title=title,
            file=SimpleUploadedFile(f"{title}.pdf", DRAFT, "application/pdf"),
        ).stored_file.owner
        if share:
            services.document_share_with_reviewer(auditor=bu, document=document, shared=True)

    sign_in(page, reviewer, confirmed_totp(reviewer))
    page.goto(f"/reviews/my-reviews/{case.practice_review.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Police summary")
    expect(main).not_to_contain_text("Meeting notes")
    check_a11y(page)

    page.get_by_role("button", name="Upload a draft or the final report").click()
    expect(heading(page)).to_have_text("Upload a draft or the final report")
    check_a11y(page)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the document")
    check_a11y(page)
    page.get_by_label("Title").fill("Draft report 1")
    page.get_by_label("A draft report").check()
    page.get_by_label("File").set_input_files(_pdf("draft-1.pdf"))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Draft report 1 was uploaded"
    )
    check_a11y(page)

    # Uploading again offers a new version of the draft.
    page.get_by_role("button", name="Upload a draft or the final report").click()
    page.get_by_label("A new version of Draft report 1").check()
    page.get_by_label("File").set_input_files(_pdf("draft-2.pdf"))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Version 2 of Draft report 1 was uploaded"
    )
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert not too_wide(page)

    told = [m.subject for m in mail.outbox if m.to == ["sam.business@example.org"]]
    assert (
        told == [f"Draft report uploaded by the independent reviewer for case {case.reference}"] * 2
    )
