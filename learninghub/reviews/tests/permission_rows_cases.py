"""Permission rows for the case pages: list, open, overview, identifying details, findings,
recommendations, documents and slippage.

Case material is for the case team (business unit and case review group) of the case's
partnership. Everyone else gets a 404, another partnership's business unit, the independent
reviewer, agency leads and system administrators included, so a case's existence does not
leak. The one exception: the review's named independent reviewer downloads its practice
review documents.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews import services
from learninghub.reviews.tests.factories import notified_case, open_case, reviewed_case

CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
# Each business unit and case review group has its own partnership's case list.
ANY_CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200, other_business_unit=200)
ANY_BUSINESS_UNIT = signed_in(404, business_unit=200, other_business_unit=200)
# A good write redirects back to the case.
CASE_TEAM_WRITES = signed_in(404, case_review_group=302, business_unit=302)


def _case(world):
    return {"pk": open_case(world.partnership).pk}


def _notified(world):
    return {"pk": notified_case(world.partnership).pk}


def _other_partnership_case(world):
    return {"pk": open_case(world.other_partnership, reference="EAST-2025-001").pk}


def _pdf():
    return SimpleUploadedFile("report.pdf", pdf_bytes("A fictional report"), "application/pdf")


def _version(world, *, stage="rapid_review", case=None):
    case = case or open_case(world.partnership)
    return services.document_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        case=case,
        stage=stage,
        title="Report",
        file=_pdf(),
    )


def _document(world):
    version = _version(world)
    document = version.stored_file.owner
    return {"pk": document.case_id, "document_pk": document.pk}


def _download(world):
    return {"version_pk": _version(world).pk}


def _reviewer_download(stage):
    def kwargs(world):
        case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
        return {"version_pk": _version(world, stage=stage, case=case).pk}

    return kwargs


ROWS = [
    Row("reviews:case_list", ANY_CASE_TEAM),
    Row("reviews:case_create", ANY_BUSINESS_UNIT),
    Row("reviews:case_create", ANY_BUSINESS_UNIT, method="post", data=lambda w: {}, note="empty"),
    Row("reviews:case_detail", CASE_TEAM, kwargs=_case),
    Row(
        "reviews:case_detail",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row("reviews:case_edit", CASE_TEAM, kwargs=_case),
    Row("reviews:case_edit", CASE_TEAM, kwargs=_case, method="post", note="empty"),
    Row("reviews:identifiers", CASE_TEAM, kwargs=_case),
    Row(
        "reviews:identifiers",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    # reviews:identifiers_edit (child by child): permission_rows_intake.py
    Row("reviews:finding_create", CASE_TEAM, kwargs=_case),
    Row("reviews:finding_create", CASE_TEAM, kwargs=_case, method="post", note="empty"),
    Row("reviews:recommendation_create", CASE_TEAM, kwargs=_case),
    Row("reviews:recommendation_create", CASE_TEAM, kwargs=_case, method="post", note="empty"),
    Row("reviews:document_upload", CASE_TEAM, kwargs=_case),
    Row("reviews:document_upload", CASE_TEAM, kwargs=_case, method="post", note="empty"),
    Row("reviews:document_version_upload", CASE_TEAM, kwargs=_document),
    Row(
        "reviews:document_version_upload",
        signed_in(404),
        kwargs=lambda w: {"pk": _case(w)["pk"], "document_pk": 999999},
        note="unknown-document",
    ),
    Row("reviews:document_download", CASE_TEAM, kwargs=_download),
    Row(
        "reviews:document_download",
        signed_in(404, case_review_group=200, business_unit=200, independent_reviewer=200),
        kwargs=_reviewer_download("practice_review"),
        note="reviewer-practice-review",
    ),
    Row(
        "reviews:document_download",
        CASE_TEAM,
        kwargs=_reviewer_download("rapid_review"),
        note="reviewer-rapid-review",
    ),
    # The core's download view, asking reviews' rule (reviews/files.py) for case documents.
    Row("core:file_download", CASE_TEAM, kwargs=_download),
    Row(
        "core:file_download",
        signed_in(404, case_review_group=200, business_unit=200, independent_reviewer=200),
        kwargs=_reviewer_download("practice_review"),
        note="reviewer-practice-review",
    ),
    Row(
        "core:file_download",
        CASE_TEAM,
        kwargs=_reviewer_download("rapid_review"),
        note="reviewer-rapid-review",
    ),
    Row(
        "core:file_download",
        signed_in(404),
        kwargs=lambda world: {"version_pk": 999999},
        note="unknown-version",
    ),
    Row("reviews:slippage_create", CASE_TEAM, kwargs=_notified),
    Row("reviews:slippage_create", CASE_TEAM, kwargs=_notified, method="post", note="empty"),
]
