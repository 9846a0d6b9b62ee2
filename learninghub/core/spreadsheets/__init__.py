"""Spreadsheets, for every app: export a list as CSV or Excel, and import a spreadsheet.

The core knows no app: an app says what its columns and rows are, and the core writes the
file, or reads, checks and applies one in a single transaction.

Export
------
A view checks permission, selects the rows, audits the read as for the page, then::

    from learninghub.core.spreadsheets import Column, export_response

    columns = [
        Column("Reference", lambda case: case.reference),
        Column("Notified", lambda case: case.notified_on, kind="date"),
        Column("Working days late", lambda case: case.days_late, kind="number"),
        Column("Published", lambda case: case.published, kind="bool"),
    ]
    return export_response(filename_stem="Case list", fmt="xlsx", columns=columns, rows=cases)

`fmt` is "csv" (UTF-8 with a byte order mark, so Excel reads accents; dates ISO 2025-06-02)
or "xlsx" (bold frozen heading row, real date cells shown dd/mm/yyyy, widths from the
values, the sheet named after `sheet_title` or the stem). Text that starts with = + - @, a
tab or a carriage return gets a leading ' in CSV and is stored as text in Excel, so a value
typed into the hub never runs as a formula. Bools are written Yes/No. The download is named
`<slug of stem>-<today>.<fmt>`. (`Cache-Control: private, no-store` comes from the middleware.)

Import
------
An app subclasses `Importer` and registers an instance from its AppConfig.ready()::

    from learninghub.core import spreadsheets

    class CaseTrackerImporter(spreadsheets.Importer):
        name = "case-tracker"                # the pages are at /import/case-tracker/
        title = "Case tracker"
        permission = "reviews.open_case"     # a rules permission, given the partnership
        description = "One row per case, from your existing tracker."
        done_url = "/cases/"                 # optional: where the result page leads
        fields = [
            spreadsheets.ImportField("reference", "Reference", required=True,
                                     parse=spreadsheets.text_up_to(30),
                                     aliases=("Case ref", "Case number")),
            spreadsheets.ImportField("notified_on", "Date notified",
                                     parse=spreadsheets.parse_date),
        ]

        key_fields = ("reference",)       # what key() reads, to name a repeat's column
        def key(self, row):               # the natural key: one record per key
            return row["reference"].casefold()

        def apply(self, rows, *, auditor, partnership):
            ...  # create or update one record per row, found by key; leave identical ones
            return spreadsheets.ImportResult(created=..., updated=..., unchanged=...)

    spreadsheets.register(CaseTrackerImporter())   # in ReviewsConfig.ready()

- `ImportField(name, label, required=False, parse=parse_text, aliases=(), hint="")`: `parse`
  gets the cell's stripped text (never empty: an empty cell is None, or the error "Enter
  <label>" when required) and raises ValueError with a message for people. Parsers provided:
  `parse_text`, `text_up_to(n)`, `parse_date` (ISO, dd/mm/yyyy, "3 June 2025"), `parse_int`,
  `parse_bool` (yes/no/true/false/y/n/1/0), `choice_of(SomeTextChoices)` (by value or label;
  gives the member) or `choice_of([(value, label), ...])` (gives the value).
- `apply(rows: list[dict], *, auditor, partnership) -> ImportResult(created, updated,
  unchanged)` runs inside the import's one transaction: a second run of the same file must
  find every row unchanged and write nothing. Audit each change (`auditor.record_many` for
  bulk); the core adds one summary event (`<name>.import`). Raising `ValidationError` (or
  `ImportRefused([RowError(row, column, message)])`) rolls everything back and shows the
  messages on the check page.
- The registry: `register(importer)`, `unregister(name)`, `get(name) -> Importer | None`,
  `importers()`. Tests register in a fixture and unregister after.

The pages, for any registered importer, in the partnership the person is working in
(`user.current_partnership`, the switcher's choice), each checking
`require(request, importer.permission, partnership)` (404 when refused):
`core:import_upload` /import/<name>/ (a .csv or .xlsx file) → `core:import_map`
/import/<name>/<pk>/columns/ (one select per field, pre-filled by `guess_mapping`) →
`core:import_preview` /import/<name>/<pk>/check/ (the first 20 rows, every problem with its
row number, and "Import N rows" only when there are none) → `core:import_result`
/import/<name>/<pk>/done/ (the counts). Link to the first from the app's page. Between steps
the file is an `ImportUpload` (rows encrypted, emptied once imported), which only its uploader
may continue, for a day.

The engine, usable without the pages (tests, a management command):

- `read_table(uploaded_file) -> Table(headers, rows, numbers)`: .csv (UTF-8, UTF-8 with BOM,
  Windows-1252; comma, semicolon or tab) or .xlsx (first sheet; dates become ISO strings),
  every cell a stripped string, blank rows skipped; `ValidationError` with a plain message for
  another type, over 5 MB, empty, no heading row, no rows, repeated headings, over 5,000 rows.
  `numbers[i]` is row i's spreadsheet row number (headings are row 1).
- `guess_mapping(importer, headers) -> {field name: heading or None}` (by name, label and
  aliases, ignoring case and punctuation; each heading once).
- `validate(importer, table, mapping) -> (parsed_rows, errors)`: errors are
  `RowError(row, column, message)`; a repeated key is an error on the later row. `check(...)`
  gives the same with each parsed row's number (`Checked.rows`: [(number, values)]).
- `run(importer, table, mapping, *, auditor, partnership) -> ImportResult`: validates, raises
  `ImportRefused(errors)` when anything is wrong, else applies all rows in one transaction with
  one summary audit event.
"""

from __future__ import annotations

from .export import Column, export_filename, export_response, guard_formula
from .importing import (
    Checked,
    Importer,
    ImportField,
    ImportRefused,
    ImportResult,
    Row,
    RowError,
    check,
    choice_of,
    get,
    guess_mapping,
    importers,
    mapping_errors,
    parse_bool,
    parse_date,
    parse_int,
    parse_text,
    register,
    run,
    text_up_to,
    unregister,
    validate,
)
from .reading import Table, read_table

__all__ = [
    "Checked",
    "Column",
    "ImportField",
    "ImportRefused",
    "ImportResult",
    "Importer",
    "Row",
    "RowError",
    "Table",
    "check",
    "choice_of",
    "export_filename",
    "export_response",
    "get",
    "guard_formula",
    "guess_mapping",
    "importers",
    "mapping_errors",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_text",
    "read_table",
    "register",
    "run",
    "text_up_to",
    "unregister",
    "validate",
]
