"""Case documents' migrations: sealed at rest (0002, issue 6 finding 9), then moved onto the
core file store with their ids, storage names and encryption kept (0004, issue 7).

Each test builds the old shape by migrating the reviews app back, so these are transactional;
serialized_rollback puts back the rows other apps' data migrations made (the starting themes)
for the tests that follow.
"""

from __future__ import annotations

import hashlib
import importlib
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.encryption import encrypt_bytes
from learninghub.core.files.models import FileVersion
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.reviews import services
from learninghub.reviews.models import Document
from learninghub.reviews.tests.factories import open_case

OLD_SHAPE = [("reviews", "0002_documentversion_encrypted_at_rest")]
PDF = pdf_bytes("A fictional terms of reference")
SEALING = importlib.import_module(
    "learninghub.reviews.migrations.0002_documentversion_encrypted_at_rest"
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Schema:
    """Moves the reviews app's migrations back and forth, and always ends at the latest."""

    def __init__(self):
        self.leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        others = [n for n in self.leaf if n[0] != "reviews"]
        reviews = [n for n in targets if n[0] == "reviews"]
        return MigrationExecutor(connection).loader.project_state(others + reviews).apps

    def latest(self):
        MigrationExecutor(connection).migrate(self.leaf)


@pytest.fixture
def schema():
    schema = Schema()
    yield schema
    schema.latest()  # leave the schema as every other test expects it


def _raw(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _old_version(apps, world, case, *, content: bytes, encrypted: bool, title="Old minutes"):
    """A document and version 1 as they were kept before issue 7."""
    document = apps.get_model("reviews", "Document").objects.create(
        case_id=case.pk, stage="rapid_review", title=title
    )
    stored = encrypt_bytes(content) if encrypted else content
    name = default_storage.save(f"case-documents/{case.pk}/{uuid.uuid4().hex}", ContentFile(stored))
    return apps.get_model("reviews", "DocumentVersion").objects.create(
        document=document,
        number=1,
        file=name,
        original_name="minutes.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        encrypted=encrypted,
        uploaded_by_id=world.user("business_unit").pk,
    )


def _download(client, version_pk: int) -> bytes:
    response = client.get(reverse("reviews:document_download", args=[version_pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_documents_move_to_core_files_keeping_ids_storage_and_encryption(world, client_for, schema):
    case = open_case(world.partnership)
    apps = schema.migrate(OLD_SHAPE)
    old = _old_version(apps, world, case, content=PDF, encrypted=True)
    second = apps.get_model("reviews", "DocumentVersion").objects.create(
        document_id=old.document_id,
        number=2,
        file=old.file.name,
        original_name="minutes-v2.pdf",
        content_type="application/pdf",
        size=old.size,
        sha256=old.sha256,
        encrypted=True,
        uploaded_by_id=old.uploaded_by_id,
    )

    schema.latest()

    moved = FileVersion.objects.select_related("stored_file").get(pk=old.pk)
    assert (moved.number, moved.file.name, moved.sha256, moved.encrypted) == (
        1,
        old.file.name,
        old.sha256,
        True,
    )
    document = Document.objects.get(pk=old.document_id)
    assert moved.stored_file.owner == document
    assert moved.stored_file.restricted and moved.stored_file.title == "Old minutes"
    assert [v.pk for v in document.versions] == [second.pk, old.pk]  # current first
    assert b"%PDF" not in _raw(moved.file.name)  # still the same sealed file
    bu = client_for("business_unit")
    assert _download(bu, old.pk) == PDF  # the old link still serves the same version
    assert _download(bu, second.pk) == PDF
    other = client_for("other_business_unit")
    assert other.get(reverse("core:file_download", args=[old.pk])).status_code == 404
    # New uploads are numbered after the copied versions, on every database.
    third = services.document_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        case=case,
        stage="rapid_review",
        title="",
        file=ContentFile(PDF, name="minutes-v3.pdf"),
        document=document,
    )
    assert third.number == 3 and third.pk > second.pk


def test_rolling_back_gives_the_versions_back_to_the_documents(world, client_for, schema):
    case = open_case(world.partnership)
    version = services.document_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        case=case,
        stage="practice_review",
        title="Terms of reference",
        file=ContentFile(PDF, name="terms.pdf"),
    )

    apps = schema.migrate(OLD_SHAPE)

    old = apps.get_model("reviews", "DocumentVersion").objects.get(pk=version.pk)
    assert old.document_id == version.stored_file.owner_id
    assert (old.number, old.file.name, old.sha256, old.encrypted) == (
        1,
        version.file.name,
        version.sha256,
        True,
    )
    assert not apps.get_model("core", "StoredFile").objects.exists()
    schema.latest()
    assert _download(client_for("business_unit"), version.pk) == PDF


def test_plaintext_files_are_sealed_once_and_the_plaintext_removed(world, client_for, schema):
    """Migration 0002 (finding 9), run on the shape it was written for."""
    case = open_case(world.partnership)
    apps = schema.migrate(OLD_SHAPE)
    version = _old_version(apps, world, case, content=PDF, encrypted=False)
    plaintext_name = version.file.name
    lost = _old_version(apps, world, case, content=PDF, encrypted=False, title="Lost")
    apps.get_model("reviews", "DocumentVersion").objects.filter(pk=lost.pk).update(
        file="case-documents/gone"
    )
    editor = type("Editor", (), {"connection": connection})()

    SEALING.seal(apps, editor)  # outside a transaction, on_commit runs at once

    version.refresh_from_db()
    assert version.encrypted
    assert not default_storage.exists(plaintext_name)
    assert b"%PDF" not in _raw(version.file.name)
    lost.refresh_from_db()
    assert not lost.encrypted  # nothing to seal, and the migration did not stop for it
    sealed_name = version.file.name
    SEALING.seal(apps, editor)  # running it again changes nothing
    version.refresh_from_db()
    assert version.file.name == sealed_name

    schema.latest()
    assert _download(client_for("business_unit"), version.pk) == PDF


def test_rolling_back_the_sealing_writes_the_plaintext_again(world, schema):
    case = open_case(world.partnership)
    apps = schema.migrate(OLD_SHAPE)
    version = _old_version(apps, world, case, content=PDF, encrypted=True)
    sealed_name = version.file.name

    SEALING.unseal(apps, type("Editor", (), {"connection": connection})())

    version.refresh_from_db()
    assert not version.encrypted
    assert _raw(version.file.name) == PDF
    assert not default_storage.exists(sealed_name)
