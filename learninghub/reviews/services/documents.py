"""Case documents, stored in the core file store; an upload from the documents page is
checked against the case's other titles, its file name's anonymity override audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.anonymity.audit import audit_override
from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.models import FileVersion
from learninghub.core.files.services import file_upload

from ..models import Case, Document, InformationRequest


@transaction.atomic
def document_upload(
    *,
    auditor: Auditor,
    case: Case,
    stage: str,
    title: str,
    file,
    document: Document | None = None,
    information_request: InformationRequest | None = None,
) -> FileVersion:
    """Upload a document, or a new version of one, into the core file store (core/files).

    Restricted like all case material: sealed at rest, and every download audited.
    """
    if document is None and not title.strip():
        raise ValidationError({"title": "Enter a title for the document"})
    # The core opens the file for real (a PDF parser, the Word package's content types, the
    # OLE2 Word header) and refuses a renamed, damaged, fake or password-protected one; the
    # refusal rolls back the new Document with it (one transaction).
    if document is None:
        document = Document.objects.create(
            case=case,
            stage=stage,
            title=title.strip()[:200],
            information_request=information_request,
        )
    elif document.case_id != case.pk:
        raise ValidationError({"file": "That document belongs to another case"})
    return file_upload(
        auditor=auditor,
        owner=document,
        title=document.title,
        upload=file,
        restricted=True,
        file=document.stored_file,
    )


def _audit_filename_override(
    auditor: Auditor, version, matches, reason: str, *, what: str = "a file"
) -> None:
    """An upload despite the anonymity check of its file's name: the kinds found and the
    reason, next to the upload (core.anonymity.audit)."""
    if matches:
        audit_override(
            auditor,
            version.stored_file.owner,
            matches,
            reason,
            summary=f"Uploaded {what} whose file name may identify the child",
        )


@transaction.atomic
def document_upload_checked(
    *,
    auditor: Auditor,
    case: Case,
    stage: str,
    title: str,
    file,
    document: Document | None = None,
    anonymity_matches=None,
    anonymity_reason: str = "",
):
    """A case document from the documents page: a new one (never a second document with the
    title of one already here) or a new version of one, with the filename's anonymity
    override audited next to the upload."""
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
    _audit_filename_override(auditor, version, anonymity_matches, anonymity_reason)
    return version
