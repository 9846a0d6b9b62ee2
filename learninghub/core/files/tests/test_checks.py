"""Uploads are opened for real: a file is a PDF or a Word document because a parser says so,
not because of its name or its first bytes (issue 6, finding 9)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from learninghub.core.files import checks
from learninghub.core.files.checks import (
    EMPTY,
    NOT_PDF,
    NOT_WORD,
    PDF_LOCKED,
    PDF_NO_PAGES,
    WORD_LOCKED,
    WORD_TOO_BIG,
    WRONG_TYPE,
    check_document,
    safe_filename,
    size_label,
)
from learninghub.core.files.tests.samples import (
    CONTENT_TYPES,
    DOC_TYPE,
    DOCX_TYPE,
    PDF_TYPE,
    doc_bytes,
    docx_bytes,
    encrypted_docx_bytes,
    ole_bytes,
    pdf_bytes,
)

LIMIT = 20 * 1024 * 1024


def check(name: str, data: bytes, *, max_size: int = LIMIT):
    return check_document(ContentFile(data, name=name), max_size=max_size)


def refusal(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, data, **kwargs)
    return caught.value.message_dict["file"][0]


class TestRealDocumentsAreAccepted:
    @pytest.mark.parametrize(
        ("name", "data", "content_type"),
        [
            ("terms.pdf", pdf_bytes(), PDF_TYPE),
            ("Chronology.DOCX", docx_bytes(), DOCX_TYPE),
            ("summary.doc", doc_bytes(), DOC_TYPE),
        ],
    )
    def test_each_type_keeps_its_name_and_content_type(self, name, data, content_type):
        checked = check(name, data)

        assert checked.name == name
        assert checked.content_type == content_type
        assert checked.data == data

    def test_the_file_can_be_read_again_afterwards(self):
        upload = ContentFile(pdf_bytes(), name="terms.pdf")

        check_document(upload, max_size=LIMIT)

        assert upload.read() == pdf_bytes()


class TestPdf:
    def test_pdf_header_followed_by_a_web_page_is_refused(self):
        page = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n"

        assert refusal("report.pdf", page) == NOT_PDF

    def test_a_real_pdf_with_a_web_page_appended_is_refused(self):
        polyglot = pdf_bytes() + b"\n<!DOCTYPE html><html><script>alert(1)</script></html>"

        assert refusal("report.pdf", polyglot) == NOT_PDF

    def test_a_password_protected_pdf_is_refused(self):
        assert refusal("report.pdf", pdf_bytes(password="secret")) == PDF_LOCKED

    @pytest.mark.parametrize(
        "data",
        [
            b"%PDF-1.7\n% only a comment\n%%EOF\n",
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
            pdf_bytes()[:200],
            b"MZ\x90\x00 a program",
        ],
        ids=["header-only", "no-pages-tree", "truncated", "executable"],
    )
    def test_a_damaged_or_fake_pdf_is_refused(self, data):
        assert refusal("report.pdf", data) == NOT_PDF

    def test_a_pdf_without_pages_is_refused(self):
        from pypdf import PdfWriter

        out = io.BytesIO()
        PdfWriter().write(out)

        assert refusal("report.pdf", out.getvalue()) == PDF_NO_PAGES


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return out.getvalue()


class TestDocx:
    def test_zip_signature_and_zeros_is_refused(self):
        assert refusal("notes.docx", b"PK\x03\x04" + bytes(400)) == NOT_WORD

    def test_a_pdf_renamed_docx_is_refused(self):
        assert refusal("notes.docx", pdf_bytes()) == NOT_WORD

    def test_a_zip_that_is_not_a_word_package_is_refused(self):
        assert refusal("notes.docx", _zip({"notes.txt": b"Child A"})) == NOT_WORD

    def test_a_macro_enabled_document_renamed_docx_is_refused(self):
        docm = docx_bytes(main="application/vnd.ms-word.document.macroEnabled.main+xml")

        assert refusal("notes.docx", docm) == NOT_WORD

    def test_the_declared_main_part_must_exist(self):
        missing = docx_bytes(content_types=CONTENT_TYPES.replace("/word/document.xml", "/w/x.xml"))

        assert refusal("notes.docx", missing) == NOT_WORD

    def test_a_dtd_in_the_content_types_is_refused(self):
        laughs = (
            '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]>'
            + CONTENT_TYPES.split("?>", 1)[1]
        )

        assert refusal("notes.docx", docx_bytes(content_types=laughs)) == NOT_WORD

    def test_a_password_protected_docx_is_refused(self):
        assert refusal("notes.docx", encrypted_docx_bytes()) == WORD_LOCKED

    def test_a_zip_with_encrypted_parts_is_refused_as_password_protected(self):
        package = bytearray(docx_bytes())
        # Set the "encrypted" flag of every part in the central directory.
        start = 0
        while (at := package.find(b"PK\x01\x02", start)) != -1:
            package[at + 8] |= 0x01
            start = at + 4

        assert refusal("notes.docx", bytes(package)) == WORD_LOCKED

    def test_a_zip_bomb_is_refused(self, monkeypatch):
        monkeypatch.setattr(checks, "MAX_UNPACKED_SIZE", 1024 * 1024)
        bomb = docx_bytes(parts={"word/media/blank.bin": bytes(2 * 1024 * 1024)})

        assert len(bomb) < 20 * 1024  # 2MB of zeros packs into a few kilobytes
        assert refusal("notes.docx", bomb) == WORD_TOO_BIG

    def test_too_many_parts_is_refused(self, monkeypatch):
        monkeypatch.setattr(checks, "MAX_PARTS", 5)
        parts = {f"word/media/{n}.bin": b"x" for n in range(5)}

        assert refusal("notes.docx", docx_bytes(parts=parts)) == WORD_TOO_BIG

    def test_a_corrupt_part_is_found(self):
        package = bytearray(docx_bytes("x" * 2000))
        at = package.find(b"word/document.xml") + len("word/document.xml")
        package[at + 10] ^= 0xFF  # inside the compressed document part

        assert refusal("notes.docx", bytes(package)) == NOT_WORD


class TestDoc:
    def test_a_password_protected_doc_is_refused(self):
        assert refusal("summary.doc", doc_bytes(encrypted=True)) == WORD_LOCKED

    def test_a_password_protected_docx_renamed_doc_is_refused(self):
        assert refusal("summary.doc", encrypted_docx_bytes()) == WORD_LOCKED

    @pytest.mark.parametrize(
        "data",
        [
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            ole_bytes({"Workbook": b"\x09\x08" + bytes(100)}),
            ole_bytes({"WordDocument": b"\x00\x00" + bytes(100)}),
            docx_bytes(),
            pdf_bytes(),
        ],
        ids=["ole-signature-and-zeros", "spreadsheet", "not-a-word-fib", "docx", "pdf"],
    )
    def test_what_is_not_an_old_word_document_is_refused(self, data):
        assert refusal("summary.doc", data) == NOT_WORD


class TestNameAndSize:
    @pytest.mark.parametrize("name", ["setup.exe", "report", "report.pdf.exe", "notes.docm"])
    def test_other_types_are_refused_by_name(self, name):
        assert refusal(name, pdf_bytes()) == WRONG_TYPE

    def test_an_empty_file_is_refused(self):
        assert refusal("report.pdf", b"") == EMPTY

    def test_a_file_over_the_limit_is_refused(self):
        assert refusal("report.pdf", pdf_bytes(), max_size=100) == (
            "The file must be smaller than 100 bytes"
        )

    def test_sizes_read_as_people_read_them(self):
        assert [size_label(10), size_label(500 * 1024), size_label(20 * 1024 * 1024)] == [
            "10 bytes",
            "500KB",
            "20MB",
        ]

    def test_sizes_between_units_are_not_rounded_down(self):
        # Django's filesizeformat: 1.5KB is not "1KB", nor 2.5MB "2MB" (which would understate
        # a limit); GOV.UK's "2MB" style, with no space or ".0", is kept.
        assert [size_label(1), size_label(1536), size_label(5 * 1024 * 1024 // 2)] == [
            "1 byte",
            "1.5KB",
            "2.5MB",
        ]

    @pytest.mark.parametrize(
        ("name", "safe"),
        [
            ("C:\\Users\\a\\terms.pdf", "terms.pdf"),
            ("../../etc/terms.pdf", "terms.pdf"),
            ("terms\r\nSet-Cookie: a=b.pdf", "termsSet-Cookie: a=b.pdf"),
            ("report\u202efdp.exe", "reportfdp.exe"),
            (".pdf", "document.pdf"),
            ("a" * 300 + ".docx", "a" * 195 + ".docx"),
        ],
    )
    def test_names_lose_folders_and_invisible_characters(self, name, safe):
        assert safe_filename(name) == safe

    def test_a_name_hiding_its_real_extension_is_refused(self):
        assert refusal("report\u202efdp.exe", pdf_bytes()) == WRONG_TYPE


@pytest.mark.parametrize(
    ("name", "data"),
    [("a.pdf", pdf_bytes()), ("a.docx", docx_bytes()), ("a.doc", doc_bytes())],
)
def test_damaged_files_are_refused_never_an_error(name, data):
    """Whatever bytes arrive, the answer is accepted or a plain refusal: never a crash."""
    rng = random.Random(f"finding 9 {name}")
    for _ in range(60):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.choice([len(damaged), rng.randrange(1, len(damaged))])
        try:
            check(name, bytes(damaged[:cut]))
        except ValidationError as refused:
            assert set(refused.message_dict) == {"file"}
