"""Reading stored files: a version the person may download, and its content as uploaded."""

from __future__ import annotations

import hashlib

from django.http import Http404

from .encryption import decrypt_bytes
from .models import FileVersion
from .registry import owner_for


def file_versions(*, stored_file) -> list[FileVersion]:
    """Every version of a file, the current (highest) first."""
    return list(stored_file.versions.select_related("uploaded_by").order_by("-number"))


def version_for_download(*, user, pk: int) -> FileVersion:
    """A version of a file the owning app lets this person download; otherwise 404.

    Any version, not only the current one: older versions stay readable to whoever may read
    the file. A file whose owner type registered no rule is readable by nobody.
    """
    version = FileVersion.objects.select_related("stored_file__owner_type").filter(pk=pk).first()
    if version is None or not user.is_authenticated:
        raise Http404
    owner = owner_for(version.stored_file)
    if owner is None or not owner.can_download(user, version.stored_file):
        raise Http404
    return version


class FileUnreadable(Exception):
    """The stored file is missing, cannot be decrypted, or is not the file uploaded."""


def version_content(*, version: FileVersion) -> bytes:
    """The file as uploaded, for a version `version_for_download` returned.

    Checked against the checksum taken at upload, so a stored file swapped for another (say,
    another case's, by someone with access to the storage) is never served in its place.
    """
    try:
        with version.file.open("rb") as stored:
            content = stored.read()
        if version.encrypted:
            content = decrypt_bytes(content)
    except (OSError, ValueError) as exc:
        raise FileUnreadable(f"File version {version.pk}: {exc}") from exc
    if hashlib.sha256(content).hexdigest() != version.sha256:
        raise FileUnreadable(f"File version {version.pk}: checksum does not match")
    return content
