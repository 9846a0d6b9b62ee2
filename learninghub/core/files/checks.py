"""What an uploaded document really is: opened with a real parser, not judged by its name or
its first bytes.

A renamed executable, a web page that starts with `%PDF-`, or a zip of zeros called .docx would
otherwise be stored as case material and later opened by a practitioner's PDF reader or Word.
Password-protected files are refused too: nobody else in the partnership could open them, and
their contents cannot be checked. Every refusal is a ValidationError on one form field, in
words a business unit can act on; no parser failure ever reaches the person as an error page.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote
from xml.parsers import expat

import olefile
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
DOCUMENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".doc": DOC}

WRONG_TYPE = "The file must be a PDF or a Word document (.pdf, .docx or .doc)"
EMPTY = "The file is empty"
NOT_PDF = "The file is damaged or is not really a PDF"
PDF_LOCKED = "The PDF is password-protected. Remove the password and upload it again"
PDF_NO_PAGES = "The PDF has no pages"
NOT_WORD = "The file is damaged or is not really a Word document"
WORD_LOCKED = "The Word document is password-protected. Remove the password and upload it again"
WORD_TOO_BIG = (
    "The Word document is too large once unpacked. Make its pictures smaller, or split it, "
    "and upload it again"
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# ECMA-376 Part 1 (WordprocessingML): the content type of a Word document's main part. A
# macro-enabled (.docm) or template (.dotx) package declares a different one: refused.
WORD_MAIN_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# Zip bombs: a small upload that unpacks to gigabytes in Word, an antivirus scanner or a
# future preview. A real Word document of 20MB (mostly pictures, already compressed) unpacks to
# little more than that; 200MB or 10,000 parts is no document anyone writes.
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_PARTS = 10_000
MAX_CONTENT_TYPES_SIZE = 1024 * 1024
# A PDF that is also a web page (a "polyglot") is run as a page by anything that sniffs its
# content; a real PDF keeps no HTML outside its compressed streams.
MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe)[\s/>]", re.IGNORECASE)
# [MS-DOC] FibBase: wIdent at offset 0 (0xA5EC from Word 97, 0xA5DC in Word 6 and 95),
# and the flags word at 0x0A, whose bit 0x0100 is fEncrypted.
WORD_IDENTS = {0xA5EC, 0xA5DC}
FIB_ENCRYPTED = 0x0100


@dataclass(frozen=True)
class CheckedFile:
    name: str  # safe to store and to send back in a Content-Disposition header
    content_type: str
    data: bytes


def _wrong_type(allowed: Collection[str]) -> str:
    if set(allowed) >= set(DOCUMENT_TYPES):
        return WRONG_TYPE
    kinds = [e for e in DOCUMENT_TYPES if e in allowed]
    return f"The file must be {' or '.join(kinds)}"


def size_label(size: int) -> str:
    """A size limit as people read it: "20MB", "1.5KB" or "10 bytes".

    Django's `filesizeformat` picks the unit and rounds; GOV.UK's style writes sizes as
    "20MB", with no space and no ".0" (the file upload pattern's "must be smaller than 2MB").
    """
    number, _, unit = filesizeformat(size).partition("\xa0")
    number = number.removesuffix(".0")
    return f"{number} {unit}" if unit in ("byte", "bytes") else f"{number}{unit}"


def safe_filename(name: str, *, max_length: int = 200) -> str:
    """The file's own name without folders or invisible characters.

    Control characters would break the Content-Disposition header of the download (a 500, or
    a header injected); format characters include the right-to-left override (U+202E) that
    makes a name ending in "fdp.exe" display as if it ended in "exe.pdf".
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    stem, dot, extension = clean.rpartition(".")
    if not dot:
        stem, extension = clean, ""
    stem = stem.strip(" .") or "document"
    suffix = f".{extension}" if extension else ""
    return stem[: max(1, max_length - len(suffix))] + suffix


def check_document(
    file, *, max_size: int, field: str = "file", allowed: Collection[str] = tuple(DOCUMENT_TYPES)
) -> CheckedFile:
    """A PDF or Word document that really is one, read into memory (at most `max_size`).

    `allowed` narrows the extensions an owner accepts (say, PDF only for a published report).
    """
    name = safe_filename(file.name or "")
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in DOCUMENT_TYPES or extension not in allowed:
        raise ValidationError({field: _wrong_type(allowed)})
    too_large = f"The file must be smaller than {size_label(max_size)}"
    if file.size is not None and file.size > max_size:
        raise ValidationError({field: too_large})
    file.seek(0)
    data = file.read(max_size + 1)
    file.seek(0)
    if len(data) > max_size:
        raise ValidationError({field: too_large})
    if not data:
        raise ValidationError({field: EMPTY})
    problem = {".pdf": pdf_problem, ".docx": docx_problem, ".doc": doc_problem}[extension](data)
    if problem:
        raise ValidationError({field: problem})
    return CheckedFile(name=name, content_type=DOCUMENT_TYPES[extension], data=data)


# Each *_problem returns the refusal message, or None for a good file. Parsers of hostile input
# raise anything (their own errors, ValueError, KeyError, struct.error, RecursionError...), so
# every exception from one means "damaged or not really this type", never a 500.


def pdf_problem(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-") or MARKUP.search(data):
        return NOT_PDF
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return PDF_LOCKED
        pages = len(reader.pages)
    except Exception:
        return NOT_PDF
    return None if pages else PDF_NO_PAGES


def docx_problem(data: bytes) -> str | None:
    if data.startswith(OLE_SIGNATURE):
        # Word saves a password-protected .docx as an OLE2 container holding the encrypted
        # package ([MS-OFFCRYPTO] EncryptedPackage stream), not as a zip.
        return WORD_LOCKED if _ole_has_encrypted_package(data) else NOT_WORD
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return _package_problem(package)
    except Exception:
        return NOT_WORD


def _package_problem(package: zipfile.ZipFile) -> str | None:
    parts = package.infolist()
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_SIZE:
        return WORD_TOO_BIG
    if any(p.flag_bits & 0x1 for p in parts):  # zip-level encryption
        return WORD_LOCKED
    # Part names are compared without regard to case (ECMA-376 Part 2, Open Packaging
    # Conventions).
    by_name = {p.filename.lower(): p for p in parts}
    types = by_name.get("[content_types].xml")
    if types is None or types.file_size > MAX_CONTENT_TYPES_SIZE:
        return NOT_WORD
    main_parts = _main_parts(package.read(types))
    if len(main_parts) != 1 or unquote(main_parts[0]).lstrip("/").lower() not in by_name:
        return NOT_WORD
    # Unpack every part: zipfile stops at each part's declared size and checks its CRC, so a
    # corrupt or truncated package is found now, and the work is bounded by the sizes above.
    for part in parts:
        with package.open(part) as member:
            while member.read(1024 * 1024):
                pass
    return None


class _DtdRefused(Exception):
    pass


def _main_parts(xml: bytes) -> list[str]:
    """The part names [Content_Types].xml declares as a Word document's main part."""
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        content_type = attrs.get("ContentType", "").strip().lower()
        if name == f"{CONTENT_TYPES_NS} Override" and content_type == WORD_MAIN_PART:
            found.append(attrs.get("PartName", ""))

    def refuse_dtd(*args) -> None:
        # Package XML may not carry a DTD (ECMA-376 Part 2), which is also where entity
        # expansion ("billion laughs") and external entity attacks live.
        raise _DtdRefused

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.Parse(xml, True)
    return found


def _ole_has_encrypted_package(data: bytes) -> bool:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptedPackage")
    except Exception:
        return False


def doc_problem(data: bytes) -> str | None:
    if not data.startswith(OLE_SIGNATURE):
        return NOT_WORD
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage"):  # a password-protected .docx called .doc
                return WORD_LOCKED
            if ole.get_type("WordDocument") != olefile.STGTY_STREAM:
                return NOT_WORD
            with ole.openstream("WordDocument") as stream:
                fib = stream.read(12)
        ident, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 0x0A)[0]
    except Exception:
        return NOT_WORD
    if ident not in WORD_IDENTS:
        return NOT_WORD
    return WORD_LOCKED if flags & FIB_ENCRYPTED else None
