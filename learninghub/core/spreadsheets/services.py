"""Every write of an import's upload: store it, choose its columns, run it."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from .importing import Importer, ImportResult, run
from .models import ImportUpload
from .reading import Table


@transaction.atomic
def import_upload_create(
    *, auditor, importer: Importer, partnership, filename: str, table: Table, mapping: dict
) -> ImportUpload:
    upload = ImportUpload(
        importer=importer.name,
        partnership=partnership,
        uploaded_by=auditor.actor,
        filename=filename[:200],
        headers=table.headers,
        rows=json.dumps({"rows": table.rows, "numbers": table.numbers}),
        mapping=mapping,
    )
    upload.save()
    auditor.created(
        upload,
        action="core.import_upload.create",
        summary=f"Uploaded a spreadsheet of {len(table.rows)} rows to import as {importer.title}",
    )
    return upload


@transaction.atomic
def import_upload_map(*, auditor, upload: ImportUpload, mapping: dict) -> ImportUpload:
    before = {"mapping": upload.mapping}
    upload.mapping = mapping
    upload.save(update_fields=["mapping"])
    auditor.updated(
        upload,
        action="core.import_upload.map",
        summary="Chose the spreadsheet's columns for an import",
        before=before,
    )
    return upload


@transaction.atomic
def import_upload_run(*, auditor, upload: ImportUpload, importer: Importer) -> ImportResult:
    """Import the upload's rows (all or nothing, `importing.run`), then forget them."""
    result = run(
        importer, upload.table, upload.mapping, auditor=auditor, partnership=upload.partnership
    )
    upload.completed_at = timezone.now()
    upload.result = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    upload.rows = ""
    upload.save(update_fields=["completed_at", "result", "rows"])
    return result
