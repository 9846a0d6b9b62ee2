"""Writing stored files: every upload, first or later version, goes through `file_upload`."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction

from learninghub.core.audit.auditor import Auditor

from . import checks
from .encryption import encrypt_bytes
from .models import FileVersion, StoredFile
from .registry import FileOwner, owner_for


@transaction.atomic
def file_upload(
    *,
    auditor: Auditor,
    owner: models.Model,
    title: str,
    upload,
    restricted: bool,
    allowed_types: Collection[str] = tuple(checks.DOCUMENT_TYPES),
    file: StoredFile | None = None,
    max_size: int | None = None,
) -> FileVersion:
    """Keep an upload as version 1 of a new file for `owner`, or as the next version of `file`.

    The upload is opened for real (checks.py) before anything is saved; its checksum is of the
    bytes as uploaded; restricted material is sealed before it reaches storage, so a copy of
    the media folder or a backup shows only ciphertext. The new version becomes the current
    one; earlier versions are kept.
    """
    checked = checks.check_document(
        upload, max_size=max_size or settings.MAX_UPLOAD_SIZE, allowed=allowed_types
    )
    owner_type = ContentType.objects.get_for_model(owner)
    if file is None:
        file = StoredFile.objects.create(
            owner_type=owner_type,
            owner_id=owner.pk,
            title=title.strip()[:200],
            restricted=restricted,
        )
        number = 1
    else:
        if file.owner_type_id != owner_type.pk or file.owner_id != owner.pk:
            raise ValidationError({"file": "That file belongs to another record"})
        # The row lock numbers two uploads at the same moment one after the other, rather
        # than failing one of them on the unique version number.
        StoredFile.objects.select_for_update().filter(pk=file.pk).first()
        latest = file.versions.order_by("-number").values_list("number", flat=True).first()
        number = (latest or 0) + 1
    version = FileVersion(
        stored_file=file,
        number=number,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        encrypted=file.restricted,
        uploaded_by=auditor.actor,
    )
    stored = encrypt_bytes(checked.data) if file.restricted else checked.data
    version.file.save(checked.name, ContentFile(stored), save=False)
    version.save()
    rules = owner_for(file) or FileOwner(can_download=lambda user, stored_file: False)
    auditor.created(
        version,
        action=f"{rules.action_prefix}.upload",
        summary=rules.summary("Uploaded", version),
        fields=["original_name", "size", "sha256"],
    )
    return version
