"""Permission rows for agencies' requests, document sharing and the reviewer's uploads.

An agency lead sees only their own agency's requests (another agency's, even in the same
partnership, answers 404) and nothing else of the case; withdrawing and sharing are the
case team's; the reviewer uploads only to the review they are named on.
"""

from datetime import date

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.partnerships.tests.factories import AgencyFactory
from learninghub.reviews import services
from learninghub.reviews.tests.factories import SYSTEM, notified_case, reviewed_case

CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
CASE_TEAM_REDIRECTED = signed_in(404, case_review_group=302, business_unit=302)
AGENCY_LEAD = signed_in(404, agency_lead=200)
REVIEWER = signed_in(404, independent_reviewer=200)


def _ask(world, agency, reference="TEST-2025-001"):
    case = notified_case(world.partnership, reference=reference)
    asked = services.information_requests_create(
        auditor=SYSTEM,
        case=case,
        agencies=[agency],
        details="A summary of involvement",
        requested_on=date(2025, 12, 9),
    )[0]
    return case, asked


def _own_agency_request(world):
    return {"pk": _ask(world, world.agency)[1].pk}


def _another_agency_request(world):
    health = AgencyFactory(partnership=world.partnership, name="Northdale Health")
    return {"pk": _ask(world, health)[1].pk}


def _case_request(world):
    case, asked = _ask(world, world.agency)
    return {"pk": case.pk, "request_pk": asked.pk}


def _other_partnership_request(world):
    case = notified_case(world.partnership)
    other = notified_case(world.other_partnership, reference="EAST-2025-001")
    asked = services.information_requests_create(
        auditor=SYSTEM,
        case=other,
        agencies=[world.other_agency],
        details="A summary",
        requested_on=date(2025, 12, 9),
    )[0]
    return {"pk": case.pk, "request_pk": asked.pk}


def _document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from learninghub.core.files.tests.samples import pdf_bytes

    case = notified_case(world.partnership)
    from learninghub.core.audit.auditor import Auditor

    version = services.document_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        case=case,
        stage="rapid_review",
        title="Chronology",
        file=SimpleUploadedFile("chronology.pdf", pdf_bytes("A chronology"), "application/pdf"),
    )
    return {"pk": case.pk, "document_pk": version.stored_file.owner_id}


def _named_review(world):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    return {"pk": case.practice_review.pk}


def _review_not_named_on(world):
    return {"pk": reviewed_case(world.partnership).practice_review.pk}


ROWS = [
    Row("reviews:agency_requests", AGENCY_LEAD),
    Row("reviews:agency_requests", signed_in(405), method="post", note="read-only"),
    Row("reviews:agency_request", AGENCY_LEAD, kwargs=_own_agency_request),
    Row(
        "reviews:agency_request",
        AGENCY_LEAD,
        kwargs=_own_agency_request,
        method="post",
        note="empty",
    ),
    Row(
        "reviews:agency_request",
        signed_in(404),
        kwargs=_another_agency_request,
        note="other-agency",
    ),
    Row(
        "reviews:agency_request",
        signed_in(404),
        kwargs=_another_agency_request,
        method="post",
        note="other-agency",
    ),
    Row("reviews:information_request_withdraw", CASE_TEAM, kwargs=_case_request),
    Row(
        "reviews:information_request_withdraw",
        CASE_TEAM,
        kwargs=_case_request,
        method="post",
        note="empty",
    ),
    Row(
        "reviews:information_request_withdraw",
        signed_in(404),
        kwargs=_other_partnership_request,
        note="other-partnership-request",
    ),
    Row("reviews:document_share", signed_in(405), kwargs=_document, note="post-only"),
    Row("reviews:document_share", CASE_TEAM_REDIRECTED, kwargs=_document, method="post"),
    Row("reviews:reviewer_upload", REVIEWER, kwargs=_named_review),
    Row("reviews:reviewer_upload", REVIEWER, kwargs=_named_review, method="post", note="empty"),
    Row("reviews:reviewer_upload", signed_in(404), kwargs=_review_not_named_on, note="not-named"),
]
