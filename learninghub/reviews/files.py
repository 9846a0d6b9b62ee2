"""Case documents' files in the core file store (core/files): who may download them, and how
the audit log names their uploads and downloads."""

from __future__ import annotations

from learninghub.core.files.registry import FileOwner, register
from learninghub.core.permissions import Role

from .models import Document

REVIEWER_STAGES = ("practice_review", "draft_report", "final_report")


def can_download_document(user, stored_file) -> bool:
    """The case team (the partnership's business unit and case review group); the review's own
    independent reviewer for the practice review's documents, drafts, final report and what
    was shared with them; an agency lead for their own agency's summary; nobody else."""
    if not user.is_authenticated:
        return False
    document = (
        Document.objects.select_related("case__practice_review", "information_request")
        .filter(pk=stored_file.owner_id)
        .first()
    )
    if document is None:
        return False
    # Kept on the file, so the audit event and its summary reach the case without asking again.
    stored_file.owner = document
    case = document.case
    roles = user.roles_in(case.partnership_id)
    if Role.BUSINESS_UNIT in roles or Role.CASE_REVIEW_GROUP in roles:
        return True
    if Role.AGENCY_LEAD in roles and document.information_request_id:
        # An agency lead reads their own agency's summary, nothing else of the case.
        lead_of = {
            m.agency_id
            for m in user.active_memberships
            if m.role == Role.AGENCY_LEAD and m.partnership_id == case.partnership_id
        }
        if document.information_request.agency_id in lead_of:
            return True
    review = getattr(case, "practice_review", None)
    # The review's own reviewer: the practice review's documents, their drafts and final
    # report, and what the business unit shared with them.
    return (
        review is not None
        and (document.stage in REVIEWER_STAGES or document.shared_with_reviewer)
        and review.independent_reviewer_id == user.pk
        and Role.INDEPENDENT_REVIEWER in roles
    )


def _describe(verb: str, version) -> str:
    document = version.stored_file.owner
    words = "to" if verb == "Uploaded" else "of case"
    return f"{verb} {document.title} (version {version.number}) {words} {document.case.reference}"


def register_files() -> None:
    register(
        "reviews.document",
        FileOwner(
            can_download=can_download_document,
            action_prefix="reviews.document",
            describe=_describe,
        ),
    )
