"""Read an uploaded .csv or .xlsx file into a `Table`: its header row and its rows, as text.

Every refusal is a `ValidationError` with a message a business unit can act on (the upload
form shows it on its file field); no parser failure reaches the person as an error page.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 100
# An .xlsx is a zip: a small upload must not unpack to gigabytes.
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
CSV_ENCODINGS = ("utf-8-sig", "cp1252")

WRONG_TYPE = "The file must be a CSV or Excel spreadsheet (.csv or .xlsx)"
EMPTY = "The file is empty"
TOO_BIG = "The file must be smaller than {size}"
NO_HEADER = "The first row of the file must hold the column headings"
NO_ROWS = "The file has column headings but no rows below them"
TOO_MANY_ROWS = "The file must have no more than {rows:,} rows below the headings"
TOO_MANY_COLUMNS = "The file must have no more than {columns} columns"
REPEATED_HEADER = "The column heading “{header}” appears more than once. Rename one of them"
NOT_TEXT = "The file could not be read as text. Save it as CSV (UTF-8) and upload it again"
NOT_CSV = "The file could not be read as a CSV file. Save it as CSV (UTF-8) and upload it again"
NOT_XLSX = "The file is damaged or is not really an Excel spreadsheet (.xlsx)"
XLSX_TOO_BIG = "The spreadsheet is too large once unpacked. Split it and upload each part"


@dataclass
class Table:
    """A spreadsheet's headings and rows, every cell a stripped string.

    `numbers[i]` is the spreadsheet row number of `rows[i]` (the headings are row 1), so an
    error names the row a person sees in Excel even when blank rows were skipped.
    """

    headers: list[str]
    rows: list[list[str]]
    numbers: list[int] = field(default_factory=list)

    def __post_init__(self):
        if not self.numbers:
            self.numbers = list(range(2, len(self.rows) + 2))

    def as_json(self) -> dict:
        return {"headers": self.headers, "rows": self.rows, "numbers": self.numbers}

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(headers=data["headers"], rows=data["rows"], numbers=data["numbers"])


def read_table(uploaded_file) -> Table:
    """The table in an uploaded .csv (UTF-8, with or without BOM, or Windows-1252) or .xlsx
    (its first sheet): first row the headings, fully blank rows skipped."""
    suffix = PurePath(uploaded_file.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    size = getattr(uploaded_file, "size", None)
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    if size is not None and size > MAX_FILE_SIZE:
        raise ValidationError(TOO_BIG.format(size=filesizeformat(MAX_FILE_SIZE)), code="too_big")
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if not data:
        raise ValidationError(EMPTY, code="empty")
    if len(data) > MAX_FILE_SIZE:
        raise ValidationError(TOO_BIG.format(size=filesizeformat(MAX_FILE_SIZE)), code="too_big")
    raw = _csv_rows(data) if suffix == ".csv" else _xlsx_rows(data)
    return _table(raw)


def _csv_rows(data: bytes):
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(NOT_TEXT, code="encoding")
    if "\x00" in text:
        raise ValidationError(NOT_TEXT, code="encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise ValidationError(NOT_CSV, code="not_csv") from exc


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_SIZE:
                raise ValidationError(XLSX_TOO_BIG, code="too_big")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1 + 1000:  # headings, rows, and a margin of blank ones
                break
        return rows
    except Exception as exc:
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(raw: list[list[str]]) -> Table:
    cleaned = [[str(cell).strip() for cell in row] for row in raw]
    if not cleaned or not any(cleaned[0]):
        raise ValidationError(NO_HEADER, code="no_header")
    header_row = cleaned[0]
    # Columns with no heading are dropped (a stray note beside the table); the headings
    # that are there must be distinct, since the mapping names columns by heading.
    keep = [i for i, header in enumerate(header_row) if header]
    if len(keep) > MAX_COLUMNS:
        raise ValidationError(TOO_MANY_COLUMNS.format(columns=MAX_COLUMNS), code="too_wide")
    headers = [header_row[i] for i in keep]
    seen = set()
    for header in headers:
        if header.casefold() in seen:
            raise ValidationError(REPEATED_HEADER.format(header=header), code="repeated_header")
        seen.add(header.casefold())
    rows, numbers = [], []
    for number, row in enumerate(cleaned[1:], start=2):
        values = [row[i] if i < len(row) else "" for i in keep]
        if not any(values):
            continue
        rows.append(values)
        numbers.append(number)
        if len(rows) > MAX_ROWS:
            raise ValidationError(TOO_MANY_ROWS.format(rows=MAX_ROWS), code="too_long")
    if not rows:
        raise ValidationError(NO_ROWS, code="no_rows")
    return Table(headers=headers, rows=rows, numbers=numbers)
