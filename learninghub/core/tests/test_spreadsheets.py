"""The core's spreadsheets: export (CSV and Excel) and the import engine."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from learninghub.core import spreadsheets
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.spreadsheets import reading
from learninghub.core.tests.spreadsheet_importer import REFUSED_NAME, AgencyImporter, agency_model

pytestmark = pytest.mark.django_db

DAY = datetime.fromisoformat("2026-03-05T12:00:00+00:00")


@pytest.fixture
def importer():
    importer = AgencyImporter()
    spreadsheets.register(importer)
    yield importer
    spreadsheets.unregister(importer.name)


# Export ------------------------------------------------------------------------------------


ROWS = [
    {"name": "Child A", "due": date(2025, 6, 2), "late": -3, "open": True},
    {"name": '=HYPERLINK("http://evil.example","x")', "due": None, "late": 4, "open": False},
    {"name": "+1+2", "due": datetime(2025, 7, 1, 9, 30), "late": 0, "open": None},
    {"name": "-2", "due": None, "late": None, "open": True},
    {"name": "@SUM(A1)", "due": None, "late": None, "open": True},
    {"name": "\tTabbed", "due": None, "late": None, "open": True},
    {"name": "Zoë O’Neill", "due": None, "late": 1.5, "open": True},
]
COLUMNS = [
    spreadsheets.Column("Name", lambda r: r["name"]),
    spreadsheets.Column("Due", lambda r: r["due"], kind="date"),
    spreadsheets.Column("Working days late", lambda r: r["late"], kind="number"),
    spreadsheets.Column("Open", lambda r: r["open"], kind="bool"),
]


@time_machine.travel(DAY, tick=False)
def test_csv_export_reads_back_with_iso_dates_and_guarded_formulas():
    response = spreadsheets.export_response(
        filename_stem="Case list: Northdale", fmt="csv", columns=COLUMNS, rows=ROWS
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="case-list-northdale-2026-03-05.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert parsed == [
        ["Name", "Due", "Working days late", "Open"],
        ["Child A", "2025-06-02", "-3", "Yes"],
        ['\'=HYPERLINK("http://evil.example","x")', "", "4", "No"],
        ["'+1+2", "2025-07-01", "0", ""],
        ["'-2", "", "", "Yes"],
        ["'@SUM(A1)", "", "", "Yes"],
        ["'\tTabbed", "", "", "Yes"],
        ["Zoë O’Neill", "", "1.5", "Yes"],
    ]


@time_machine.travel(DAY, tick=False)
def test_xlsx_export_has_a_bold_frozen_header_real_dates_and_text_formulas():
    response = spreadsheets.export_response(
        filename_stem="Timeliness", fmt="xlsx", columns=COLUMNS, rows=ROWS, sheet_title="Cases"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="timeliness-2026-03-05.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Cases"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Name", "Due", "Working days late", "Open"]
    assert all(c.font.bold for c in sheet[1])
    due = sheet["B2"]
    assert due.is_date and due.value == datetime(2025, 6, 2)
    assert due.number_format == "dd/mm/yyyy"
    assert sheet["B4"].value == datetime(2025, 7, 1)  # a datetime becomes its date
    assert sheet["C2"].value == -3 and sheet["C2"].data_type == "n"
    assert sheet["D2"].value == "Yes" and sheet["D3"].value == "No"
    # A formula typed into the hub stays text: no cell of the workbook is a formula.
    formula = sheet["A3"]
    assert formula.value == '=HYPERLINK("http://evil.example","x")'
    assert formula.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A8"].value == "Zoë O’Neill"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert all(8 <= w <= 60 for w in widths)
    assert widths[0] > widths[1]  # the long names make the first column wider than dates


def test_export_sheet_title_and_filename_are_made_safe():
    response = spreadsheets.export_response(
        filename_stem='../Case [list]: "2025"/*?', fmt="xlsx", columns=COLUMNS, rows=[]
    )
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert filename.startswith("case-list-2025-") and filename.endswith(".xlsx")
    assert "/" not in filename and ".." not in filename
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")


# Reading -----------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_read_table_csv_utf8_with_bom_skipping_blank_rows_but_keeping_row_numbers():
    content = "\ufeffAgency, Type \nNorthdale Police,Police\n,\n  Zoë’s School ,Education\n"
    table = spreadsheets.read_table(upload("agencies.csv", content.encode()))
    assert table.headers == ["Agency", "Type"]
    assert table.rows == [["Northdale Police", "Police"], ["Zoë’s School", "Education"]]
    assert table.numbers == [2, 4]


def test_read_table_csv_in_windows_1252_and_semicolons():
    content = "Agency;Type\r\nZoë Health;Health\r\n".encode("cp1252")
    table = spreadsheets.read_table(upload("agencies.CSV", content))
    assert table.rows == [["Zoë Health", "Health"]]


def test_read_table_xlsx_gives_strings_and_iso_dates():
    content = xlsx(
        [
            ["Agency", "Joined", "Staff", "Active", None],
            ["Northdale Police", datetime(2025, 6, 2), 3, True, None],
            [None, None, None, None, None],
            ["Eastmoor Health", datetime(2025, 6, 2, 14, 30), 2.5, False, None],
        ]
    )
    table = spreadsheets.read_table(upload("agencies.xlsx", content))
    assert table.headers == ["Agency", "Joined", "Staff", "Active"]
    assert table.rows == [
        ["Northdale Police", "2025-06-02", "3", "TRUE"],
        ["Eastmoor Health", "2025-06-02 14:30", "2.5", "FALSE"],
    ]
    assert table.numbers == [2, 4]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agencies.pdf", b"%PDF-1.4", reading.WRONG_TYPE),
        ("agencies", b"Agency\nPolice\n", reading.WRONG_TYPE),
        ("agencies.csv", b"", reading.EMPTY),
        ("agencies.csv", b"Agency,Type\n", reading.NO_ROWS),
        ("agencies.csv", b",\nPolice,Police\n", reading.NO_HEADER),
        ("agencies.csv", b"Agency,agency\nA,B\n", reading.REPEATED_HEADER.format(header="agency")),
        ("agencies.csv", b"\x00\x81\x8d\x8f\x90\x9d", reading.NOT_TEXT),
        ("agencies.xlsx", b"Agency,Type\nA,B\n", reading.NOT_XLSX),
        ("agencies.xlsx", xlsx([["Agency", "Type"]]), reading.NO_ROWS),
    ],
)
def test_read_table_refuses_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        spreadsheets.read_table(upload(name, content))
    assert refused.value.messages == [message]


def test_read_table_refuses_an_oversized_file(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_SIZE", 100)
    with pytest.raises(ValidationError) as refused:
        spreadsheets.read_table(upload("agencies.csv", b"Agency\n" + b"A\n" * 100))
    assert refused.value.messages == ["The file must be smaller than 100\xa0bytes"]


def test_read_table_refuses_too_many_rows(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    with pytest.raises(ValidationError) as refused:
        spreadsheets.read_table(upload("agencies.csv", b"Agency\nA\nB\nC\n"))
    assert refused.value.messages == ["The file must have no more than 2 rows below the headings"]


# Mapping and validation --------------------------------------------------------------------


def test_guess_mapping_matches_names_labels_and_aliases_once_each(importer):
    mapping = spreadsheets.guess_mapping(
        importer, ["Notes", "ORGANISATION", "agency type", "In use?", "Agency"]
    )
    assert mapping == {
        "name": "ORGANISATION",
        "agency_type": "agency type",
        "is_active": "In use?",
        "since": None,
    }


def table(*rows, headers=("Organisation", "Type", "Active", "Joined")) -> spreadsheets.Table:
    return spreadsheets.Table(headers=list(headers), rows=[list(r) for r in rows])


MAPPING = {"name": "Organisation", "agency_type": "Type", "is_active": "Active", "since": "Joined"}


def test_validate_parses_rows_and_names_each_problem_by_row_and_column(importer):
    parsed, errors = spreadsheets.validate(
        importer,
        table(
            ["Northdale Police", "police", "yes", "02/06/2025"],
            ["", "Police", "", ""],
            ["Northdale Library", "Bakery", "perhaps", "31/02/2025"],
            ["NORTHDALE POLICE", "Police", "", ""],
            ["Northdale School", "Education", "", ""],
        ),
        MAPPING,
    )
    assert parsed == [
        {
            "name": "Northdale Police",
            "agency_type": "police",
            "is_active": True,
            "since": date(2025, 6, 2),
        },
        {"name": "Northdale School", "agency_type": "education", "is_active": None, "since": None},
    ]
    assert [(e.row, e.column) for e in errors] == [
        (3, "Organisation"),
        (4, "Type"),
        (4, "Active"),
        (4, "Joined"),
        (5, "Organisation"),
    ]
    assert errors[0].message == "Enter agency name"
    assert errors[1].message.startswith(
        "Must be one of: Local authority children's social care, Police, "
    )
    assert errors[2].message == "Must be Yes or No"
    assert errors[3].message == "Must be a real date, like 27/03/2025"
    assert errors[4].message == "Repeats row 2: the same record twice"


def test_validate_refuses_a_mapping_without_a_required_field_or_using_a_column_twice(importer):
    _, errors = spreadsheets.validate(
        importer,
        table(["Northdale Police", "Police", "", ""]),
        {"name": "Organisation", "agency_type": None, "is_active": "Organisation"},
    )
    assert [(e.row, e.column, e.message) for e in errors] == [
        (None, "Type", "Choose the column that holds it"),
        (None, "Active", "“Organisation” is already chosen for Agency name"),
    ]


# Running -----------------------------------------------------------------------------------


def import_events():
    return AuditEvent.objects.filter(action="test-agencies.import")


def test_run_imports_and_a_second_run_changes_nothing(importer, world):
    auditor = Auditor(actor=world.user("business_unit"))
    rows = table(
        ["Northdale School", "Education", "", ""], ["Northdale Police", "Police", "no", ""]
    )
    first = spreadsheets.run(
        importer, rows, MAPPING, auditor=auditor, partnership=world.partnership
    )
    # The world's "Northdale Police" (active) is updated; Northdale School is new.
    assert first == spreadsheets.ImportResult(created=1, updated=1, unchanged=0)
    agencies = list(
        agency_model()
        .objects.filter(partnership=world.partnership)
        .order_by("name")
        .values_list("name", "agency_type", "is_active")
    )
    assert agencies == [
        ("Northdale Police", "police", False),
        ("Northdale School", "education", True),
    ]
    event = import_events().get()
    assert event.partnership_id == world.partnership.pk
    assert event.summary == "Imported test agencies: 1 created, 1 updated, 0 unchanged"
    changes_before = AuditEvent.objects.exclude(action="test-agencies.import").count()

    second = spreadsheets.run(
        importer, rows, MAPPING, auditor=auditor, partnership=world.partnership
    )
    assert second == spreadsheets.ImportResult(created=0, updated=0, unchanged=2)
    assert (
        list(
            agency_model()
            .objects.filter(partnership=world.partnership)
            .order_by("name")
            .values_list("name", "agency_type", "is_active")
        )
        == agencies
    )
    assert AuditEvent.objects.exclude(action="test-agencies.import").count() == changes_before
    assert import_events().count() == 2


def test_one_bad_row_means_nothing_is_written(importer, world):
    auditor = Auditor(actor=world.user("business_unit"))
    before = AuditEvent.objects.count()
    rows = table(["Northdale School", "Education", "", ""], ["Northdale Library", "Bakery", "", ""])
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        spreadsheets.run(importer, rows, MAPPING, auditor=auditor, partnership=world.partnership)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "Type")]
    assert not agency_model().objects.filter(name="Northdale School").exists()
    assert AuditEvent.objects.count() == before


def test_a_refusal_from_apply_rolls_back_the_rows_already_written(importer, world):
    auditor = Auditor(actor=world.user("business_unit"))
    before = AuditEvent.objects.count()
    rows = table(["Northdale School", "Education", "", ""], [REFUSED_NAME, "Police", "", ""])
    with pytest.raises(ValidationError):
        spreadsheets.run(importer, rows, MAPPING, auditor=auditor, partnership=world.partnership)
    assert not agency_model().objects.filter(name__in=["Northdale School", REFUSED_NAME]).exists()
    assert AuditEvent.objects.count() == before


def test_the_registry(importer):
    assert spreadsheets.get("test-agencies") is importer
    assert importer in spreadsheets.importers()
    assert spreadsheets.get("no-such-import") is None
