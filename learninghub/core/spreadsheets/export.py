"""Export a list of records as a CSV or Excel file: one `Column` per column, one row per record."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Kind = Literal["text", "date", "number", "bool"]
Format = Literal["csv", "xlsx"]

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP, CSV
# injection): "=HYPERLINK(...)" typed into a case's name would become a live link.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 60
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column: its heading, how to get its value from a row, and what kind of value it is.

    `value(row)` may return None (an empty cell). Dates may be `date` or `datetime` (written
    as the local date); numbers `int`, `float` or `Decimal`; bools are written "Yes"/"No".
    """

    header: str
    value: Callable[[Any], Any]
    kind: Kind = "text"
    width: int | None = None  # in characters; worked out from the values when None


def guard_formula(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading = + - @ tab or CR gets a single quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_filename(filename_stem: str, fmt: Format, today: date | None = None) -> str:
    """A safe file name with today's date: "case-list-2026-11-29.csv"."""
    stem = slugify(filename_stem)[:80] or "export"
    return f"{stem}-{(today or timezone.localdate()).isoformat()}.{fmt}"


def export_response(
    *,
    filename_stem: str,
    fmt: Format,
    columns: list[Column],
    rows: Iterable,
    sheet_title: str | None = None,
) -> HttpResponse:
    """A download of `rows` as CSV (UTF-8 with a BOM, for Excel) or Excel (.xlsx)."""
    if fmt == "csv":
        content, content_type = _csv_bytes(columns, rows), CSV_TYPE
    elif fmt == "xlsx":
        title = sheet_title or filename_stem
        content, content_type = _xlsx_bytes(columns, rows, title), XLSX_TYPE
    else:
        raise ValueError(f"Unknown export format: {fmt!r}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(filename_stem, fmt)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _text(value: Any, kind: Kind) -> str:
    """A value as the CSV writes it."""
    if value is None:
        return ""
    if kind == "bool" or isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "date" and isinstance(value, date):
        return _as_date(value).isoformat()
    if kind == "number" and isinstance(value, int | float | Decimal):
        return str(value)
    return guard_formula(str(value))


def _csv_bytes(columns: list[Column], rows: Iterable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guard_formula(c.header) for c in columns])
    for row in rows:
        writer.writerow([_text(c.value(row), c.kind) for c in columns])
    # The byte order mark tells Excel the file is UTF-8 (otherwise "Zoë" opens as "ZoÃ«").
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell_value(value: Any, kind: Kind) -> Any:
    """A value as the workbook stores it: real dates and numbers, everything else text."""
    if value is None:
        return None
    if kind == "bool" or isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "date" and isinstance(value, date):
        return _as_date(value)
    if kind == "number" and isinstance(value, int | float | Decimal):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _sheet_title(title: str) -> str:
    return SHEET_TITLE_BAD.sub(" ", title).strip()[:31] or "Sheet1"


def _xlsx_bytes(columns: list[Column], rows: Iterable, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    widths = [len(c.header) for c in columns]
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=ILLEGAL_CHARACTERS_RE.sub("", column.header))
        cell.font = bold
        cell.data_type = "s"
    for row_number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = _cell_value(column.value(row), column.kind)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
                length = 10
            elif isinstance(value, str):
                # Text stays text: openpyxl would store "=..." as a formula.
                cell.data_type = "s"
                length = max((len(line) for line in value.splitlines()), default=0)
            else:
                length = len(str(value)) if value is not None else 0
            widths[index - 1] = max(widths[index - 1], length)
    for index, column in enumerate(columns, start=1):
        width = column.width or min(max(widths[index - 1] + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
