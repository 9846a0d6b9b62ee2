"""The text of an uploaded file, so what it says can be checked as well as its name.

PDF (pypdf), Word .docx (the document, its headers and footers, footnotes, endnotes and
comments), and plain text or CSV. Anything else, or anything that cannot be read (damaged,
password-protected, a zip bomb), gives None: the caller then says only the file's name was
checked. Nothing here ever raises on hostile input.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.parsers import expat

from pypdf import PdfReader

# Enough for any real report; a bigger part is a zip bomb, not a document.
MAX_PART_SIZE = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_PARTS = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$", re.IGNORECASE
)
TEXT_EXTENSIONS = {"txt", "csv"}


def text_of_file(data: bytes, filename: str) -> str | None:
    """The text in the file, or None when it is not a kind that can be read, or is unreadable."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    reader = {"pdf": _pdf_text, "docx": _docx_text}.get(extension)
    if reader is None and extension in TEXT_EXTENSIONS:
        reader = _plain_text
    if reader is None or not data:
        return None
    try:
        return reader(data)
    except Exception:  # any parser failure on a damaged or hostile file means "cannot read it"
        return None


def _plain_text(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes) -> str | None:
    if data.lstrip()[:5] != b"%PDF-":
        return None
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return None
    pages = reader.pages
    if not len(pages) or len(pages) > MAX_PDF_PAGES:
        return None
    return "\n".join(page.extract_text() or "" for page in pages)


def _docx_text(data: bytes) -> str | None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = sorted(
            (info for info in package.infolist() if WORD_PARTS.match(info.filename)),
            key=lambda info: (not info.filename.lower().endswith("document.xml"), info.filename),
        )
        if not any(p.filename.lower() == "word/document.xml" for p in parts):
            return None
        texts = []
        for info in parts:
            if info.file_size > MAX_PART_SIZE:
                return None
            with package.open(info) as member:
                xml = member.read(MAX_PART_SIZE + 1)
            if len(xml) > MAX_PART_SIZE:
                return None
            texts.append(_word_xml_text(xml))
    return "\n".join(texts)


class _DtdRefused(Exception):
    pass


def _word_xml_text(xml: bytes) -> str:
    """The text of one WordprocessingML part: runs joined, a line per paragraph."""
    out: list[str] = []
    in_text = False

    def start(name: str, attrs) -> None:
        nonlocal in_text
        local = name.rsplit(" ", 1)[-1]
        namespace = name.rsplit(" ", 1)[0] if " " in name else ""
        if namespace != WORD_NS:
            return
        if local in ("t", "delText", "instrText"):
            in_text = local == "t"
        elif local in ("tab",):
            out.append("\t")
        elif local in ("br", "cr"):
            out.append("\n")

    def end(name: str) -> None:
        nonlocal in_text
        local = name.rsplit(" ", 1)[-1]
        if local == "t":
            in_text = False
        elif local == "p":
            out.append("\n")

    def chars(data: str) -> None:
        if in_text:
            out.append(data)

    def refuse_dtd(*args) -> None:  # entity expansion and external entities live in DTDs
        raise _DtdRefused

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.Parse(xml, True)
    return "".join(out)
