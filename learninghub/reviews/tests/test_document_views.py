"""Case documents: upload (type, content and size checked, the file opened for real), new
versions, storage encrypted at rest, and downloads that only go through a permission check."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.models import FileVersion
from learninghub.core.files.tests.samples import (
    doc_bytes,
    docx_bytes,
    encrypted_docx_bytes,
    pdf_bytes,
)
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.reviews import services
from learninghub.reviews.models import Document
from learninghub.reviews.tests.factories import decided_case, open_case, reviewed_case

PDF = pdf_bytes("A fictional terms of reference")
DOCX = docx_bytes("A fictional chronology")


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


def _file(name="terms.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


def _upload(world, case, *, stage="rapid_review", title="Terms of reference", file=None):
    return services.document_upload(
        auditor=Auditor(actor=world.user("business_unit")),
        case=case,
        stage=stage,
        title=title,
        file=file or _file(),
    )


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def _stored_files(folder: str = "") -> set[str]:
    """Every file in storage (the test storage is in memory and outlives each test)."""
    if folder and not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    found = {f"{folder}{name}" for name in files}
    for sub in folders:
        found |= _stored_files(f"{folder}{sub}/")
    return found


class TestDocumentUpload:
    def url(self, case):
        return reverse("reviews:document_upload", args=[case.pk])

    def test_the_form(self, world, bu):
        text = page_text(bu.get(self.url(open_case(world.partnership))))

        assert "Upload a document" in text
        assert "PDF or Word document, up to 20MB" in text
        assert 'enctype="multipart/form-data"' in text
        assert "Agency summary" not in text  # those arrive through their request

    def test_uploading_a_pdf_stores_version_1_with_its_checksum(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(
            self.url(case),
            {"title": "Terms of reference", "stage": "practice_review", "file": _file()},
        )

        assert response["Location"] == reverse("reviews:case_detail", args=[case.pk]) + "#documents"
        version = FileVersion.objects.get(stored_file__document__case=case)
        assert version.number == 1
        assert Document.objects.get(case=case).stage == "practice_review"
        assert version.original_name == "terms.pdf"
        assert version.content_type == "application/pdf"
        assert version.size == len(PDF)
        assert version.sha256 == hashlib.sha256(PDF).hexdigest()
        assert version.uploaded_by == world.user("business_unit")
        text = page_text(bu.get(response["Location"]))
        assert "Terms of reference was uploaded" in text
        assert "Uploaded Terms of reference (version 1)" in text  # in the history

    def test_a_word_document_is_accepted(self, world, bu):
        case = open_case(world.partnership)

        bu.post(
            self.url(case),
            {"title": "Chronology", "stage": "case", "file": _file("chronology.docx", DOCX)},
        )

        version = FileVersion.objects.get(stored_file__document__case=case)
        assert version.content_type == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )

    def test_an_old_word_document_is_accepted(self, world, bu):
        case = open_case(world.partnership)

        bu.post(
            self.url(case),
            {"title": "Summary", "stage": "case", "file": _file("summary.doc", doc_bytes())},
        )

        assert FileVersion.objects.get(stored_file__document__case=case).content_type == (
            "application/msword"
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "setup.exe",
                b"MZ\x90\x00",
                "The file must be a PDF or a Word document (.pdf, .docx or .doc)",
            ),
            ("report.pdf", b"MZ\x90\x00 not a pdf", "The file is damaged or is not really a PDF"),
            ("report.docx", PDF, "The file is damaged or is not really a Word document"),
            # Finding 9: these passed when only the first bytes were checked.
            (
                "report.docx",
                b"PK\x03\x04" + bytes(500),
                "The file is damaged or is not really a Word document",
            ),
            (
                "report.pdf",
                b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n",
                "The file is damaged or is not really a PDF",
            ),
            (
                "report.pdf",
                pdf_bytes(password="fictional"),
                "The PDF is password-protected. Remove the password and upload it again",
            ),
            (
                "report.docx",
                encrypted_docx_bytes(),
                "The Word document is password-protected. Remove the password and upload it again",
            ),
            (
                "report.doc",
                doc_bytes(encrypted=True),
                "The Word document is password-protected. Remove the password and upload it again",
            ),
        ],
        ids=[
            "exe",
            "exe-named-pdf",
            "pdf-named-docx",
            "zip-signature-and-zeros",
            "pdf-header-and-html",
            "password-pdf",
            "password-docx",
            "password-doc",
        ],
    )
    def test_the_wrong_type_of_file_is_refused_and_nothing_saved(
        self, world, bu, name, content, message
    ):
        case = open_case(world.partnership)
        stored_before = _stored_files()

        response = bu.post(
            self.url(case),
            {"title": "Report", "stage": "case", "file": _file(name, content, "application/pdf")},
        )

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [("#id_file", message)]
        assert not Document.objects.exists()
        assert not FileVersion.objects.exists()
        assert _stored_files() == stored_before

    def test_a_file_over_the_limit_is_refused(self, world, bu, settings):
        settings.MAX_UPLOAD_SIZE = 10
        case = open_case(world.partnership)

        response = bu.post(self.url(case), {"title": "Report", "stage": "case", "file": _file()})

        assert error_summary(response) == [("#id_file", "The file must be smaller than 10 bytes")]
        assert "PDF or Word document, up to 10 bytes" in page_text(response)
        assert not Document.objects.exists()

    def test_missing_answers(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(self.url(case), {"title": "", "stage": ""})

        assert error_summary(response) == [
            ("#id_title", "Enter a title for the document"),
            ("#id_stage", "Select the stage the document belongs to"),
            ("#id_file", "Select a file to upload"),
        ]
        assert not Document.objects.exists()

    def test_an_empty_file_is_refused(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(
            self.url(case), {"title": "Report", "stage": "case", "file": _file(content=b"")}
        )

        assert error_summary(response) == [("#id_file", "The selected file is empty")]

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        url = self.url(open_case(world.partnership))
        bu.get(url)
        # Includes writing the read event, the documents a new version may be of, and the
        # children's identifiers the file's name is checked against.
        with django_assert_max_num_queries(16):
            assert bu.get(url).status_code == 200


class TestNewVersion:
    def test_a_new_version_is_version_2_and_the_first_is_kept(self, world, bu):
        case = open_case(world.partnership)
        first = _upload(world, case)
        url = reverse("reviews:document_version_upload", args=[case.pk, first.stored_file.owner_id])
        assert "Upload a new version of Terms of reference" in page_text(bu.get(url))
        second_content = pdf_bytes("A fictional terms of reference, revised")

        response = bu.post(url, {"file": _file("terms-v2.pdf", second_content)})

        assert response.status_code == 302
        versions = list(first.stored_file.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].sha256 == hashlib.sha256(second_content).hexdigest()
        assert versions[0].sha256 == hashlib.sha256(PDF).hexdigest()
        text = page_text(bu.get(response["Location"]))
        assert "Version 2 of Terms of reference was uploaded" in text
        assert "Version 2" in text and "terms-v2.pdf" in text
        # The download link on the case is the latest version's.
        assert reverse("reviews:document_download", args=[versions[1].pk]) in text

    def test_a_bad_file_adds_no_version(self, world, bu):
        case = open_case(world.partnership)
        first = _upload(world, case)

        response = bu.post(
            reverse("reviews:document_version_upload", args=[case.pk, first.stored_file.owner_id]),
            {"file": _file("terms.exe", b"MZ")},
        )

        assert "There is a problem" in page_text(response)
        assert first.stored_file.versions.count() == 1

    def test_a_fake_pdf_adds_no_version(self, world, bu):
        case = open_case(world.partnership)
        first = _upload(world, case)

        response = bu.post(
            reverse("reviews:document_version_upload", args=[case.pk, first.stored_file.owner_id]),
            {"file": _file("terms-v2.pdf", b"%PDF-1.7\n<html></html>")},
        )

        assert error_summary(response) == [
            ("#id_file", "The file is damaged or is not really a PDF")
        ]
        assert first.stored_file.versions.count() == 1

    def test_another_case_s_document_is_not_found(self, world, bu):
        case = open_case(world.partnership)
        other = open_case(world.partnership, reference="NDSCP-2025-009")
        version = _upload(world, other)

        response = bu.get(
            reverse("reviews:document_version_upload", args=[case.pk, version.stored_file.owner_id])
        )

        assert response.status_code == 404

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = open_case(world.partnership)
        url = reverse(
            "reviews:document_version_upload",
            args=[case.pk, _upload(world, case).stored_file.owner_id],
        )
        bu.get(url)
        # includes writing the read event, and the case's children (one prefetch)
        with django_assert_max_num_queries(16):
            assert bu.get(url).status_code == 200


class TestDownload:
    def test_the_case_team_downloads_the_file_as_an_attachment(self, world, client_for):
        case = open_case(world.partnership)
        version = _upload(world, case, file=_file("Terms of reference.pdf"))

        response = client_for("case_review_group").get(
            reverse("reviews:document_download", args=[version.pk])
        )

        assert response.status_code == 200
        assert _streamed(response) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Terms of reference.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        event = AuditEvent.objects.get(action="reviews.document.download")
        assert event.kind == "read"
        assert event.actor == world.user("case_review_group")
        assert event.object_id == str(version.pk)

    def test_a_word_document_keeps_its_type(self, world, bu):
        version = _upload(world, open_case(world.partnership), file=_file("notes.docx", DOCX))

        response = bu.get(reverse("reviews:document_download", args=[version.pk]))

        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )

    def test_another_partnership_s_business_unit_gets_404(self, world, client_for):
        version = _upload(world, open_case(world.partnership))

        response = client_for("other_business_unit").get(
            reverse("reviews:document_download", args=[version.pk])
        )

        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="reviews.document.download").exists()

    def test_the_named_independent_reviewer_gets_practice_review_documents_only(
        self, world, client_for
    ):
        reviewer = world.user("independent_reviewer")
        case = reviewed_case(world.partnership, reviewer=reviewer)
        for_review = _upload(world, case, stage="practice_review", title="Draft report")
        rapid = _upload(world, case, stage="rapid_review", title="Rapid review report")
        client = client_for("independent_reviewer")

        assert (
            client.get(reverse("reviews:document_download", args=[for_review.pk])).status_code
            == 200
        )
        assert client.get(reverse("reviews:document_download", args=[rapid.pk])).status_code == 404

    def test_an_independent_reviewer_of_another_review_gets_404(self, world, client_for):
        case = decided_case(world.partnership)
        services.practice_review_start(
            auditor=Auditor.for_system("tests"),
            case=case,
            kind="local",
            decision_date=date(2026, 1, 12),
        )
        version = _upload(world, case, stage="practice_review")

        response = client_for("independent_reviewer").get(
            reverse("reviews:document_download", args=[version.pk])
        )

        assert response.status_code == 404

    def test_an_unknown_version_is_not_found(self, bu):
        assert bu.get(reverse("reviews:document_download", args=[999999])).status_code == 404

    def test_queries(self, world, bu, django_assert_max_num_queries):
        version = _upload(world, open_case(world.partnership))
        url = reverse("reviews:document_download", args=[version.pk])
        bu.get(url)
        with django_assert_max_num_queries(13):  # the file, then its document (core/files registry)
            assert bu.get(url).status_code == 200


def _raw(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


class TestEncryptedAtRest:
    """Finding 9: case documents are kept encrypted at rest, like the identifiers."""

    def test_storage_holds_ciphertext_and_the_download_is_the_document(self, world, bu):
        case = open_case(world.partnership)
        version = _upload(world, case, file=_file("Child A chronology.pdf"))

        raw = _raw(version.file.name)
        assert version.encrypted
        assert raw != PDF
        assert b"%PDF" not in raw and b"fictional terms of reference" not in raw
        assert "Child A" not in version.file.name and version.sha256 not in version.file.name
        response = bu.get(reverse("reviews:document_download", args=[version.pk]))
        content = _streamed(response)
        assert content == PDF
        assert hashlib.sha256(content).hexdigest() == version.sha256
        assert response["Content-Disposition"] == 'attachment; filename="Child A chronology.pdf"'

    def test_a_document_stored_before_a_key_rotation_still_opens(
        self, world, bu, settings, monkeypatch
    ):
        version = _upload(world, open_case(world.partnership))
        monkeypatch.setenv("FIELD_ENCRYPTION_OLD_KEYS", settings.FIELD_ENCRYPTION_KEY)
        settings.FIELD_ENCRYPTION_KEY = "test-only-the-next-field-key"

        response = bu.get(reverse("reviews:document_download", args=[version.pk]))

        assert _streamed(response) == PDF

    def test_a_stored_file_swapped_for_another_case_s_is_not_served(self, world, bu, caplog):
        mine = _upload(world, open_case(world.partnership))
        other_case = open_case(world.partnership, reference="NDSCP-2025-009")
        theirs = _upload(world, other_case, file=_file(content=pdf_bytes("Child B's plan")))
        FileVersion.objects.filter(pk=mine.pk).update(file=theirs.file.name)

        response = bu.get(reverse("reviews:document_download", args=[mine.pk]))

        assert response.status_code == 500
        text = page_text(response)
        assert "This document cannot be opened" in text
        assert f"give them this number: {mine.pk}" in text
        assert "Child B" not in text
        assert not AuditEvent.objects.filter(action="reviews.document.download").exists()
        assert "checksum does not match" in caplog.text

    def test_a_stored_file_that_was_altered_is_not_served(self, world, bu):
        version = _upload(world, open_case(world.partnership))
        altered = bytearray(_raw(version.file.name))
        altered[60] ^= 0x01
        name = default_storage.save(f"case-documents/altered-{version.pk}", ContentFile(altered))
        FileVersion.objects.filter(pk=version.pk).update(file=name)

        response = bu.get(reverse("reviews:document_download", args=[version.pk]))

        assert response.status_code == 500
        assert "This document cannot be opened" in page_text(response)

    def test_a_name_stored_with_a_line_break_is_sent_safely(self, world, bu):
        version = _upload(world, open_case(world.partnership))
        FileVersion.objects.filter(pk=version.pk).update(
            original_name="Terms\r\nSet-Cookie: sessionid=x.pdf"
        )

        response = bu.get(reverse("reviews:document_download", args=[version.pk]))

        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="TermsSet-Cookie: sessionid=x.pdf"'
        )
        assert "sessionid" not in response.cookies
