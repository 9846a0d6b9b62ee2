"""Test helpers for the forward plan: the partners' sign-off and a final report to publish."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships.selectors import members_with_role
from learninghub.reviews import services
from learninghub.reviews.models import Document, MilestoneKind, PracticeReview
from learninghub.reviews.tests.factories import SYSTEM


def milestone(review: PracticeReview, kind: str):
    return review.milestones.get(kind=kind)


def sign_off(review: PracticeReview, on: date) -> None:
    """The partners signed off the final report on `on` (publication needs it)."""
    services.milestone_update(
        auditor=SYSTEM, milestone=milestone(review, MilestoneKind.PARTNERS_SIGN_OFF), actual_on=on
    )


def final_report(case, *, title: str = "Final report") -> Document:
    """A final report uploaded to the case by its business unit, to be chosen as the
    published report."""
    uploader = members_with_role(partnership_id=case.partnership_id, role=Role.BUSINESS_UNIT)
    version = services.document_upload(
        auditor=Auditor(actor=uploader.order_by("pk").first()),
        case=case,
        stage="final_report",
        title=title,
        file=SimpleUploadedFile(
            "final-report.pdf", pdf_bytes("A fictional final report"), "application/pdf"
        ),
    )
    return Document.objects.get(pk=version.stored_file.owner_id)
