"""Reads of import uploads: only the person who uploaded one may continue it."""

from __future__ import annotations

from .models import ImportUpload


def import_upload_for(user, *, importer: str, pk: int) -> ImportUpload | None:
    """The person's own upload for this importer, or None (their URL then answers 404)."""
    if not user.is_authenticated:
        return None
    return (
        ImportUpload.objects.select_related("partnership")
        .filter(pk=pk, importer=importer, uploaded_by=user)
        .first()
    )
