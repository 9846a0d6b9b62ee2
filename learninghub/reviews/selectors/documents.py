"""Case documents with their stored versions."""

from __future__ import annotations

from django.http import Http404

from learninghub.core.files.models import FileVersion

from ..models import Case, Document, PracticeReview


def with_versions(documents, *, uploaded_by: bool = False) -> list[Document]:
    """Documents with every version of their stored file, newest first (`Document.versions`),
    in one query for all of them rather than one for the files and one for their versions."""
    documents = list(documents)
    versions = FileVersion.objects.filter(stored_file__document__in=documents).select_related(
        "stored_file", *(["uploaded_by"] if uploaded_by else [])
    )
    by_document: dict[int, list[FileVersion]] = {d.pk: [] for d in documents}
    for version in versions.order_by("-number"):
        by_document[version.stored_file.owner_id].append(version)
    for document in documents:
        document.prefetched_versions = by_document[document.pk]
    return documents


def case_documents(*, case: Case) -> list[Document]:
    return with_versions(case.documents.order_by("stage", "title"), uploaded_by=True)


def document_get(*, case: Case, pk: int) -> Document:
    try:
        return case.documents.get(pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def practice_review_documents(*, review: PracticeReview) -> list[Document]:
    return with_versions(review.case.documents.filter(stage="practice_review"))
