"""Stored files, for every app: a logical file owned by one record, and its versions.

A `StoredFile` belongs to one record of a domain app (a case document, later an action's
evidence, a library attachment, an event's materials) through a generic relation, so the core
never imports the app. Each upload adds a `FileVersion`; the highest number is the current
one, and the earlier ones are kept and stay downloadable to whoever the owning app allows
(registry.py). Who may download is never decided here: the owner's app answers.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class StoredFile(models.Model):
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    title = models.CharField(max_length=200)
    # Restricted material (case documents) is sealed at rest and every download is in the
    # audit log (design.md, Visibility); open material (a published briefing) is neither.
    restricted = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="stored_file_owner")]

    def __str__(self) -> str:
        return self.title

    # Audit events about a file join its owner's history and partnership log, so a case
    # document's upload is case material read only by that case's team.
    @property
    def audit_partnership_id(self) -> int | None:
        owner = self.owner
        if owner is None:
            return None
        return getattr(owner, "audit_partnership_id", getattr(owner, "partnership_id", None))

    @property
    def audit_scope(self) -> str:
        return getattr(self.owner, "audit_scope", "") if self.owner is not None else ""

    @property
    def latest(self) -> FileVersion | None:
        versions = getattr(self, "prefetched_versions", None)
        if versions is not None:
            return versions[0] if versions else None
        return self.versions.order_by("-number").first()


def storage_name(instance: FileVersion, filename: str) -> str:
    # A random name, not the uploaded one (which may name a child) nor the checksum (with
    # which anyone holding a copy of a file could confirm it is stored here).
    return f"files/{uuid.uuid4().hex}"


class FileVersion(models.Model):
    stored_file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=storage_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the file as uploaded, not as stored
    # The stored bytes are a Fernet token (encryption.py). False for open material, and for a
    # case document stored before encryption at rest whose file reviews 0002 could not find.
    encrypted = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Every stored file is a PDF or Word document (checks.py); the audit log shows this
        # as the record type, as it did when case documents had their own versions.
        verbose_name = "document version"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["stored_file", "number"], name="file_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stored_file.title} (version {self.number})"

    @property
    def audit_partnership_id(self) -> int | None:
        return self.stored_file.audit_partnership_id

    @property
    def audit_scope(self) -> str:
        return self.stored_file.audit_scope
