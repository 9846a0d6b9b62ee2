"""The independent reviewer's documents: the business unit shares case documents with them,
and they upload drafts and the final report themselves (the business unit is told).

The email carries the case reference and the case's pseudonym, never the child's identifiers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.notify import absolute_url

from ..models import Document, PracticeReview, Stage
from .documents import _audit_filename_override, document_upload
from .requests import _tell_business_unit

REVIEWER_UPLOAD_NOTICE = "reviews/notices/reviewer_document_uploaded"

REVIEWER_STAGES = (Stage.DRAFT_REPORT, Stage.FINAL_REPORT)


@transaction.atomic
def document_share_with_reviewer(*, auditor: Auditor, document: Document, shared: bool):
    document = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    if document.shared_with_reviewer == shared:
        return document
    before = snapshot(document, ["shared_with_reviewer"])
    document.shared_with_reviewer = shared
    document.save(update_fields=["shared_with_reviewer"])
    verb = "Shared" if shared else "Stopped sharing"
    auditor.updated(
        document,
        action="reviews.document.share" if shared else "reviews.document.unshare",
        summary=f"{verb} {document.title} with the independent reviewer on "
        f"{document.case.reference}",
        before=before,
    )
    return document


@transaction.atomic
def reviewer_document_upload(
    *,
    auditor: Auditor,
    review: PracticeReview,
    stage: str,
    title: str,
    file,
    document: Document | None = None,
    anonymity_matches=None,
    anonymity_reason: str = "",
):
    """The independent reviewer uploads a draft or the final report (or a new version of one
    of those); the business unit is told."""
    case = review.case
    if stage not in REVIEWER_STAGES:
        raise ValidationError({"stage": "Select whether this is a draft or the final report"})
    if document is not None and (
        document.case_id != case.pk or document.stage not in REVIEWER_STAGES
    ):
        raise ValidationError({"document": "Choose one of your drafts or reports"})
    if document is None:
        title = (title or "").strip()
        if title and case.documents.filter(title__iexact=title).exists():
            raise ValidationError(
                {
                    "title": f"There is already a document called {title}. Choose to upload a "
                    "new version of it, or give this document another title"
                }
            )
    version = document_upload(
        auditor=auditor, case=case, stage=stage, title=title, file=file, document=document
    )
    owner = version.stored_file.owner
    _audit_filename_override(auditor, version, anonymity_matches, anonymity_reason, what="a report")
    _tell_business_unit(
        case,
        REVIEWER_UPLOAD_NOTICE,
        {
            "title": owner.title,
            "stage": Stage(owner.stage).label,
            "version": version.number,
            "link": absolute_url(reverse("reviews:case_detail", args=[case.pk]) + "#documents"),
        },
        reference=f"document {owner.pk} version {version.number}",
    )
    return version
