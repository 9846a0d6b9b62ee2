"""Small real documents, built in code, for every test that uploads one.

The upload checks open files for real, so a test file has to be a real PDF, Word package or
OLE2 Word file. Each builder takes a `text` so two uploads can differ (and so their checksums).
"""

from __future__ import annotations

import io
import struct
import zipfile

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_TYPE = "application/msword"


def pdf_bytes(text: str = "A fictional terms of reference", *, password: str = "") -> bytes:
    """A one-page A4 PDF whose title is `text`; encrypted when a password is given."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({NameObject("/Title"): TextStringObject(text)})
    if password:
        writer.encrypt(password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>
</w:document>"""


def docx_bytes(
    text: str = "A fictional chronology",
    *,
    main: str = WORD_MAIN,
    content_types: str | None = None,
    parts: dict[str, bytes] | None = None,
) -> bytes:
    """The smallest Word package Word opens: content types, the root relationship and the
    main document part. `main`, `content_types` and `parts` let a test break one piece."""
    files = {
        "[Content_Types].xml": (content_types or CONTENT_TYPES.format(main=main)).encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "word/document.xml": DOCUMENT.format(text=text).encode(),
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return out.getvalue()


# OLE2 (Compound File Binary, [MS-CFB]) ---------------------------------------------------
# olefile reads OLE2 files but cannot create one, so this writes a version 3 file by hand:
# 512-byte sectors, one FAT sector, one directory sector, then each stream in whole sectors.
# Streams are padded with zeros to at least 4096 bytes (the mini stream cutoff): a smaller
# stream would have to live in the mini stream, which this writer does not build.

SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_STREAM_CUTOFF = 4096


def _directory_entry(name: str, kind: int, *, child=NO_STREAM, right=NO_STREAM, start=0, size=0):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, colour (black)
        + struct.pack("<III", NO_STREAM, right, child)  # left sibling, right sibling, child
        + bytes(16 + 4 + 16)  # class id, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """An OLE2 file holding `streams` (at most three) in its root storage."""
    assert len(streams) <= 3
    # Siblings form a binary search tree ordered by name length, then upper-cased name; a
    # chain of right siblings in that order is a valid (if unbalanced) tree.
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    bodies, chains, entries, next_sector = [], [], [], 2
    for index, name in enumerate(names):
        data = streams[name]
        body = data.ljust(max(MINI_STREAM_CUTOFF, -(-len(data) // SECTOR) * SECTOR), b"\0")
        count = len(body) // SECTOR
        chains.extend(range(next_sector + 1, next_sector + count))
        chains.append(END_OF_CHAIN)
        right = index + 2 if index + 1 < len(names) else NO_STREAM
        entries.append(_directory_entry(name, 2, right=right, start=next_sector, size=len(body)))
        bodies.append(body)
        next_sector += count
    root = _directory_entry("Root Entry", 5, child=1 if names else NO_STREAM, start=END_OF_CHAIN)
    unused = [_directory_entry("", 0)] * (SECTOR // 128 - 1 - len(entries))
    directory = b"".join([root, *entries, *unused])
    fat = [FAT_SECTOR, END_OF_CHAIN, *chains]
    assert len(fat) <= SECTOR // 4, "too large for one FAT sector"
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)  # class id
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # versions, byte order, shifts
        + bytes(6)
        + struct.pack("<IIII", 0, 1, 1, 0)  # directory sectors, FAT sectors, first dir, txn
        + struct.pack("<IIIII", MINI_STREAM_CUTOFF, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))  # the FAT is sector 0
    )
    assert len(header) == SECTOR
    return header + fat_sector + directory + b"".join(bodies)


def doc_bytes(text: str = "A fictional agency summary", *, encrypted: bool = False) -> bytes:
    """An OLE2 file with a WordDocument stream whose FIB is a Word 97 one ([MS-DOC] FibBase),
    with fEncrypted set when asked. Enough for the checks, which read no further."""
    flags = 0x0100 if encrypted else 0
    fib = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0809, 0, flags)
    return ole_bytes({"WordDocument": fib + text.encode("utf-16-le"), "1Table": b"\0" * 16})


def encrypted_docx_bytes() -> bytes:
    """What Word saves for a password-protected .docx: an OLE2 container, not a zip."""
    return ole_bytes(
        {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x01" * 64}
    )
