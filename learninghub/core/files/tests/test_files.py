"""The core file store: versions, the owning app's download rule through the registry,
encryption at rest for restricted material, and uploads opened for real before they are kept.

The owner here is a theme (a core record), registered in the test with its own rule, as a
domain app registers its records (reviews/files.py for case documents).
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files import registry, selectors
from learninghub.core.files.models import FileVersion, StoredFile
from learninghub.core.files.services import file_upload
from learninghub.core.files.tests.samples import docx_bytes, pdf_bytes
from learninghub.core.taxonomy.models import Theme

V1 = pdf_bytes("A fictional briefing, first draft")
V2 = pdf_bytes("A fictional briefing, agreed")


@pytest.fixture
def theme(db):
    return Theme.objects.create(name="Fictional theme", slug="fictional-theme")


@pytest.fixture
def owner_rule(world):
    """Only the business unit may download a theme's files, in this test."""
    allowed = world.user("business_unit")
    registry.register(
        "core.theme",
        registry.FileOwner(
            can_download=lambda user, stored_file: user.pk == allowed.pk,
            action_prefix="core.theme_file",
        ),
    )
    yield
    registry.unregister("core.theme")


def _pdf(name="briefing.pdf", content=V1):
    return SimpleUploadedFile(name, content, "application/pdf")


def _upload(world, owner, *, upload=None, restricted=True, file=None, **kwargs):
    return file_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        owner=owner,
        title="Briefing",
        upload=upload or _pdf(),
        restricted=restricted,
        file=file,
        **kwargs,
    )


def _url(version) -> str:
    return reverse("core:file_download", args=[version.pk])


def _content(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _raw(version) -> bytes:
    with default_storage.open(version.file.name, "rb") as stored:
        return stored.read()


def _stored_names(folder: str = "") -> set[str]:
    if folder and not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    found = {f"{folder}{name}" for name in files}
    for sub in folders:
        found |= _stored_names(f"{folder}{sub}/")
    return found


class TestVersions:
    def test_a_new_version_becomes_current_and_the_old_one_stays_downloadable(
        self, world, theme, owner_rule, client_for
    ):
        first = _upload(world, theme)
        second = _upload(world, theme, upload=_pdf("briefing-v2.pdf", V2), file=first.stored_file)

        stored = StoredFile.objects.get()
        assert (first.number, second.number) == (1, 2)
        assert stored.latest == second
        assert [v.number for v in selectors.file_versions(stored_file=stored)] == [2, 1]
        assert second.sha256 == hashlib.sha256(V2).hexdigest()
        assert second.original_name == "briefing-v2.pdf"
        client = client_for("business_unit")
        assert _content(client.get(_url(second))) == V2
        assert _content(client.get(_url(first))) == V1  # the older version is kept

    def test_a_version_of_another_owner_s_file_is_refused(self, world, theme):
        first = _upload(world, theme)
        other = Theme.objects.create(name="Another fictional theme", slug="another")

        with pytest.raises(ValidationError) as error:
            _upload(world, other, file=first.stored_file)

        assert error.value.message_dict == {"file": ["That file belongs to another record"]}
        assert FileVersion.objects.count() == 1


class TestDownload:
    def test_the_owning_app_s_rule_decides_and_everyone_else_gets_404(
        self, world, theme, owner_rule, client_for
    ):
        version = _upload(world, theme)

        response = client_for("business_unit").get(_url(version))

        assert _content(response) == V1
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="briefing.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        for role in ("case_review_group", "other_business_unit", "system_admin", "practitioner"):
            assert client_for(role).get(_url(version)).status_code == 404, role
        anonymous = client_for("anonymous").get(_url(version))
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))

    def test_a_file_whose_owner_registered_no_rule_is_downloadable_by_nobody(
        self, world, theme, client_for
    ):
        version = _upload(world, theme)

        assert client_for("business_unit").get(_url(version)).status_code == 404

    def test_an_unknown_version_is_not_found(self, world, owner_rule, client_for):
        assert (
            client_for("business_unit")
            .get(reverse("core:file_download", args=[999999]))
            .status_code
            == 404
        )

    def test_reading_restricted_material_is_audited(self, world, theme, owner_rule, client_for):
        version = _upload(world, theme)

        client_for("business_unit").get(_url(version))

        event = AuditEvent.objects.get(action="core.theme_file.download")
        assert event.kind == "read"
        assert event.actor == world.user("business_unit")
        assert event.object_id == str(version.pk)
        assert event.summary == "Downloaded Briefing (version 1)"
        assert AuditEvent.objects.filter(action="core.theme_file.upload").count() == 1

    def test_a_stored_file_swapped_for_another_is_not_served(
        self, world, theme, owner_rule, client_for
    ):
        mine = _upload(world, theme)
        theirs = _upload(world, theme, upload=_pdf(content=V2))
        FileVersion.objects.filter(pk=mine.pk).update(file=theirs.file.name)

        response = client_for("business_unit").get(_url(mine))

        assert response.status_code == 500
        assert "This document cannot be opened" in response.content.decode()
        assert not AuditEvent.objects.filter(action="core.theme_file.download").exists()

    def test_queries(self, world, theme, owner_rule, client_for, django_assert_max_num_queries):
        client = client_for("business_unit")
        url = _url(_upload(world, theme))
        client.get(url)
        # Session, user, device, memberships; the version with its file and owner type; the
        # owner (for the audit event's partnership and scope); the audit event (head, insert,
        # savepoints); the session's expiry. Constant: no query per version or per file.
        with django_assert_max_num_queries(13):
            assert client.get(url).status_code == 200


class TestEncryptionAtRest:
    def test_restricted_material_is_stored_as_ciphertext(
        self, world, theme, owner_rule, client_for
    ):
        version = _upload(world, theme, upload=_pdf("Child A briefing.pdf"))

        raw = _raw(version)
        assert version.encrypted
        assert raw != V1 and b"%PDF" not in raw
        assert "Child A" not in version.file.name and version.sha256 not in version.file.name
        assert _content(client_for("business_unit").get(_url(version))) == V1

    def test_open_material_is_stored_as_uploaded_and_its_reads_are_not_audited(
        self, world, theme, owner_rule, client_for
    ):
        version = _upload(world, theme, restricted=False)

        assert not version.encrypted
        assert _raw(version) == V1
        assert _content(client_for("business_unit").get(_url(version))) == V1
        assert not AuditEvent.objects.filter(action="core.theme_file.download").exists()


class TestTypeChecks:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            # The right first bytes, the wrong file: a page with a PDF header, a zip of zeros.
            (
                "briefing.pdf",
                b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n",
                "The file is damaged or is not really a PDF",
            ),
            (
                "briefing.pdf",
                b"%PDF-1.7\n" + bytes(200),
                "The file is damaged or is not really a PDF",
            ),
            (
                "briefing.docx",
                b"PK\x03\x04" + bytes(500),
                "The file is damaged or is not really a Word document",
            ),
            ("briefing.exe", b"MZ\x90\x00", "The file must be a PDF or a Word document"),
        ],
        ids=["pdf-header-and-html", "pdf-header-and-zeros", "zip-signature-and-zeros", "exe"],
    )
    def test_a_file_of_the_wrong_type_is_refused_and_nothing_kept(
        self, world, theme, name, content, message
    ):
        stored_before = _stored_names()

        with pytest.raises(ValidationError) as error:
            _upload(world, theme, upload=_pdf(name, content))

        assert message in error.value.message_dict["file"][0]
        assert not StoredFile.objects.exists()
        assert not FileVersion.objects.exists()
        assert _stored_names() == stored_before

    def test_an_owner_may_accept_fewer_types(self, world, theme):
        upload = SimpleUploadedFile("notes.docx", docx_bytes("Fictional notes"))

        with pytest.raises(ValidationError) as error:
            _upload(world, theme, upload=upload, allowed_types={".pdf"})

        assert error.value.message_dict == {"file": ["The file must be .pdf"]}

    def test_the_size_limit(self, world, theme):
        with pytest.raises(ValidationError) as error:
            _upload(world, theme, max_size=10)

        assert error.value.message_dict == {"file": ["The file must be smaller than 10 bytes"]}
