"""An uploaded spreadsheet between the import's steps (upload, columns, check, import)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from learninghub.core.crypto import EncryptedTextField

from .reading import Table

# An upload is for finishing the import now: after a day it can no longer be continued.
UPLOAD_LIFETIME = timedelta(days=1)


class ImportUpload(models.Model):
    importer = models.CharField(max_length=50)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=200)
    headers = models.JSONField(default=list)
    # The rows may name children (a partnership's case tracker): sealed at rest, as JSON, and
    # emptied once the import is done.
    rows = EncryptedTextField(blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    audit_redact = ("rows", "filename")

    class Meta:
        indexes = [models.Index(fields=["uploaded_by", "created_at"], name="import_upload_owner")]

    def __str__(self) -> str:
        return f"Spreadsheet upload {self.pk} for {self.importer}"

    @property
    def table(self) -> Table:
        data = json.loads(self.rows) if self.rows else {"rows": [], "numbers": []}
        return Table(headers=list(self.headers), rows=data["rows"], numbers=data["numbers"])

    @property
    def expired(self) -> bool:
        return self.created_at < timezone.now() - UPLOAD_LIFETIME
