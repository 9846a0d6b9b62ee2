"""Every page of the service, as each person who may see it, checked with axe-core.

The journeys walk the main paths; this tour makes sure no page is left unchecked, including
the ones no journey passes through (identifiers, documents, timeliness, tokens…).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from learninghub.api import services as api_services
from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships import services as partnership_services
from learninghub.partnerships.tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    UserFactory,
    confirmed_totp,
    member,
)
from learninghub.reviews import services
from learninghub.reviews.models import Stage
from learninghub.reviews.tests.factories import reviewed_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def tour(hub):
    bu = member(hub.partnership, Role.BUSINESS_UNIT, email="bu.tour@example.org")
    # In a second partnership too, joined earlier: the header offers the switcher, and the
    # pages stay in the partnership joined last until the person switches.
    MembershipFactory(
        user=bu,
        partnership=PartnershipFactory(name="Westvale Safeguarding Children Partnership"),
        role=Role.PRACTITIONER,
        started_at=timezone.now() - timedelta(days=30),
    )
    reviewer = member(hub.partnership, Role.INDEPENDENT_REVIEWER, email="reviewer.tour@example.org")
    lead = member(hub.partnership, Role.AGENCY_LEAD, hub.agency, email="lead.tour@example.org")
    practitioner = member(
        hub.partnership, Role.PRACTITIONER, hub.agency, email="practitioner.tour@example.org"
    )
    auditor = Auditor(actor=bu)
    case = reviewed_case(hub.partnership, reviewer=reviewer, agencies=[hub.agency])
    services.identifiers_update(
        auditor=auditor, child=case.children.get(), child_name="Demo Child Tour"
    )
    services.finding_add(auditor=auditor, case=case, text="Information was not shared.")
    services.recommendation_add(
        auditor=auditor,
        case=case,
        text="Police and schools should agree how concerns are shared.",
        to_partnership=False,
        agencies=[hub.agency],
    )
    version = services.document_upload(
        auditor=auditor,
        case=case,
        stage=Stage.PRACTICE_REVIEW,
        title="Terms of reference",
        file=SimpleUploadedFile("terms.pdf", pdf_bytes("Terms of reference")),
    )
    request = services.information_request_create(
        auditor=auditor, case=case, agency=hub.agency, requested_on=date(2025, 12, 8)
    )
    services.slippage_record(
        auditor=auditor, case=case, clock_kind="publication", reason="Reviewer unwell"
    )
    invitation, _ = partnership_services.invitation_create(
        auditor=auditor,
        partnership=hub.partnership,
        email="new.person@example.org",
        role=Role.PRACTITIONER,
        agency=hub.agency,
    )
    token, _ = api_services.api_token_create(auditor=auditor, user=bu, name="Case system")
    return {
        "bu": bu,
        "bu_device": confirmed_totp(bu),
        "reviewer": reviewer,
        "reviewer_device": confirmed_totp(reviewer),
        "lead": lead,
        "practitioner": practitioner,
        "case": case,
        "document": version.stored_file.owner,
        "request": request,
        "invitation": invitation,
        "token": token,
    }


def _visit(page, check_a11y, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)


# The pages each person visits: shared with the narrow-screen tour (test_narrow_screens.py),
# so a page added here is checked at 320 px too.


def business_unit_paths(tour, hub) -> list[str]:
    pk = tour["case"].pk
    membership = tour["practitioner"].memberships.get().pk
    return [
        reverse("core:needs_attention"),
        reverse("reviews:case_list"),
        reverse("reviews:case_create"),
        reverse("reviews:case_detail", args=[pk]),
        reverse("reviews:case_edit", args=[pk]),
        reverse("reviews:identifiers", args=[pk]),
        reverse("reviews:identifiers_edit", args=[pk, tour["case"].children.get().pk]),
        reverse("reviews:child_add", args=[pk]),
        reverse("reviews:child_edit", args=[pk, tour["case"].children.get().pk]),
        reverse("reviews:review_settings"),
        reverse("reviews:finding_create", args=[pk]),
        reverse("reviews:recommendation_create", args=[pk]),
        reverse("reviews:document_upload", args=[pk]),
        reverse("reviews:document_version_upload", args=[pk, tour["document"].pk]),
        reverse("reviews:slippage_create", args=[pk]),
        reverse("reviews:notification", args=[pk]),
        reverse("reviews:rapid_review", args=[pk]),
        reverse("reviews:information_request_create", args=[pk]),
        reverse("reviews:information_request_return", args=[pk, tour["request"].pk]),
        reverse("reviews:practice_review", args=[pk]),
        reverse("reviews:practice_review_hold", args=[pk]),
        reverse("reviews:practice_review_not_publishing", args=[pk]),
        reverse("reviews:milestones", args=[pk]),
        reverse(
            "reviews:milestone_record",
            args=[pk, tour["case"].practice_review.milestones.first().pk],
        ),
        reverse("reviews:milestone_add", args=[pk]),
        reverse("reviews:publication_revise", args=[pk]),
        reverse("reviews:rapid_review_meeting", args=[pk]),
        reverse("reviews:practice_review_kind", args=[pk]),
        reverse("reviews:case_recorded_in_error", args=[pk]),
        reverse("reviews:cases_recorded_in_error"),
        reverse("reviews:calculator"),
        reverse("reviews:calculator")
        + "?rule=rapid_review&start_day=19&start_month=12&start_year=2025",
        reverse("reviews:timeliness"),
        reverse("partnerships:agency_list"),
        reverse("partnerships:agency_create"),
        reverse("partnerships:agency_detail", args=[hub.agency.pk]),
        reverse("partnerships:agency_edit", args=[hub.agency.pk]),
        reverse("partnerships:people_list"),
        reverse("partnerships:invitation_create"),
        reverse("partnerships:invitation_withdraw", args=[tour["invitation"].pk]),
        reverse("partnerships:membership_detail", args=[membership]),
        reverse("partnerships:membership_end", args=[membership]),
        reverse("partnerships:membership_two_factor_reset", args=[membership]),
        reverse("partnerships:audit_log"),
        reverse("partnerships:audit_log") + "?q=case&date_from=2025-01-01&date_to=2024-01-01",
        reverse("api_tokens:token_list"),
        reverse("api_tokens:token_create"),
        reverse("api_tokens:token_revoke", args=[tour["token"].pk]),
        reverse("accounts:recovery_codes"),
        reverse("accounts:partnership_switch"),
    ]


def reviewer_paths(tour) -> list[str]:
    review = tour["case"].practice_review
    return [
        reverse("reviews:reviewer_reviews"),
        reverse("reviews:reviewer_review", args=[review.pk]),
        reverse("reviews:milestones", args=[review.case_id]),
    ]


def agency_lead_paths(tour) -> list[str]:
    return [reverse("reviews:agency_requests"), reverse("reviews:agency_recommendations")]


def system_admin_paths(tour) -> list[str]:
    return [reverse("partnerships:audit_log")]


def public_paths() -> list[str]:
    """Pages for someone not signed in that test_public_pages.py does not visit."""
    return [
        reverse("accounts:password_reset"),
        reverse("accounts:password_reset_sent"),
        reverse("accounts:register_sent"),
        reverse("accounts:confirmation_resend"),
        reverse("accounts:confirmation_resend_sent"),
    ]


def test_every_business_unit_page_is_accessible(page, tour, hub, sign_in, check_a11y):
    sign_in(page, tour["bu"], tour["bu_device"])
    case, pk = tour["case"], tour["case"].pk
    for path in business_unit_paths(tour, hub):
        _visit(page, check_a11y, path)
    # The identifying details are on their own page only.
    page.goto(reverse("reviews:identifiers", args=[pk]))
    expect(page.locator("main")).to_contain_text("Demo Child Tour")
    page.goto(reverse("reviews:case_detail", args=[pk]))
    expect(page.locator("main")).not_to_contain_text("Demo Child Tour")
    assert case.reference in page.content()


def test_every_page_of_the_other_roles_is_accessible(new_page, tour, sign_in, check_a11y):
    reviewer_page = new_page()
    sign_in(reviewer_page, tour["reviewer"], tour["reviewer_device"])
    for path in reviewer_paths(tour):
        _visit(reviewer_page, check_a11y, path)

    lead_page = new_page()
    sign_in(lead_page, tour["lead"])
    for path in agency_lead_paths(tour):
        _visit(lead_page, check_a11y, path)
    expect(lead_page.locator("main")).to_contain_text("Police and schools should agree")

    # The system administrator sees the case's events in the audit log, not their case text.
    admin = UserFactory(email="admin.tour@example.org", is_superuser=True, is_staff=True)
    admin_page = new_page()
    sign_in(admin_page, admin, confirmed_totp(admin))
    for path in system_admin_paths(tour):
        _visit(admin_page, check_a11y, path)
    expect(admin_page.locator("main")).to_contain_text("details are shown only to the case team")
    expect(admin_page.locator("main")).not_to_contain_text("Information was not shared.")

    public = new_page()
    for path in public_paths():
        _visit(public, check_a11y, path)
    response = public.goto(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert response is not None and response.status == 404
    check_a11y(public)


def test_the_api_documentation_is_accessible(page, hub, check_a11y):
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "en-GB"
    # Our heading leads; Swagger UI adds the API's own title as it draws.
    expect(page.locator("main h1, h1").first).to_have_text("API documentation")
    # Swagger UI draws the endpoints from the OpenAPI document after the page loads.
    expect(page.locator(".opblock").first).to_be_visible()
    check_a11y(page)
    # Endpoints opened, with their parameters, request bodies and responses, pass too.
    page.locator(".opblock-get .opblock-summary-control").first.click()
    page.locator(".opblock-post .opblock-summary-control").first.click()
    expect(page.locator(".opblock-body")).to_have_count(2)
    page.get_by_role("button", name="Try it out").first.click()
    expect(page.get_by_role("button", name="Execute").first).to_be_visible()
    check_a11y(page)
