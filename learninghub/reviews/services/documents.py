"""Case documents, stored in the core file store."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

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
