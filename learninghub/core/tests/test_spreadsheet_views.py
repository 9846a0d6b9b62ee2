"""The import pages: upload → columns → check → import, with a test importer of agencies."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core import spreadsheets
from learninghub.core.middleware import SESSION_SEEN, SESSION_STARTED
from learninghub.core.models import AuditEvent, ImportUpload
from learninghub.core.permissions import Role
from learninghub.core.tests.html import error_summary, soup, table_rows, text_of, visible_text
from learninghub.core.tests.spreadsheet_importer import REFUSED_NAME, AgencyImporter, agency_model
from learninghub.core.tests.test_spreadsheets import xlsx

pytestmark = pytest.mark.django_db

NAME = AgencyImporter.name
GOOD = (
    b"Organisation,Kind of agency,In use,Notes\n"
    b"Northdale School,Education,yes,Child A's school\n"
    b"Northdale Youth Justice,Youth justice,no,\n"
)
BAD = (
    b"Organisation,Kind of agency,In use\n"
    b"Northdale School,Education,yes\n"
    b",Police,\n"
    b"Northdale Bakery,Bakery,perhaps\n"
)


@pytest.fixture
def importer():
    importer = AgencyImporter()
    spreadsheets.register(importer)
    yield importer
    spreadsheets.unregister(importer.name)


@pytest.fixture
def bu(world, client_for, importer):
    return client_for("business_unit")


def signed_in(user) -> Client:
    """A client signed in as `user` past two-factor (as the root conftest's clients are)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED] = session[SESSION_SEEN] = time.time()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def upload_url() -> str:
    return reverse("core:import_upload", kwargs={"name": NAME})


def step(name: str, upload: ImportUpload) -> str:
    return reverse(f"core:{name}", kwargs={"name": NAME, "pk": upload.pk})


def post_file(client, content: bytes, filename: str = "tracker.csv"):
    return client.post(upload_url(), {"file": SimpleUploadedFile(filename, content)})


MAPPING = {"name": "Organisation", "agency_type": "Kind of agency", "is_active": "In use"}


def selected(page, name: str) -> str:
    option = soup(page).select_one(f'select[name="{name}"] option[selected]')
    return option["value"] if option else ""


def test_the_whole_journey_then_the_same_file_again_changes_nothing(bu, world):
    page = bu.get(upload_url())
    assert page.status_code == 200
    assert soup(page).select_one('input[type="file"][name="file"]') is not None

    response = post_file(bu, GOOD)
    upload = ImportUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == step("import_map", upload)
    assert upload.uploaded_by == world.user("business_unit")
    assert upload.partnership == world.partnership
    assert upload.headers == ["Organisation", "Kind of agency", "In use", "Notes"]
    # The rows are sealed at rest: the column holds a Fernet token, not the names.
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows FROM core_importupload WHERE id = %s", [upload.pk])
        stored = cursor.fetchone()[0]
    assert "Northdale School" not in stored and "Child A" not in stored

    page = bu.get(step("import_map", upload))
    assert page.status_code == 200
    # Guessed from the headings: the label, an alias; "Kind of agency" matched nothing.
    assert selected(page, "name") == "Organisation"
    assert selected(page, "is_active") == "In use"
    assert selected(page, "agency_type") == ""
    options = [o.text for o in soup(page).select('select[name="agency_type"] option')]
    assert options == ["Not in the file", "Organisation", "Kind of agency", "In use", "Notes"]

    response = bu.post(step("import_map", upload), MAPPING)
    assert response.status_code == 302 and response["Location"] == step("import_preview", upload)

    page = bu.get(step("import_preview", upload))
    assert page.status_code == 200
    assert error_summary(page) == []
    assert table_rows(page, "#import-preview") == [
        ["2", "Northdale School", "education", "Yes", ""],
        ["3", "Northdale Youth Justice", "youth_justice", "No", ""],
    ]
    button = soup(page).select_one("#import-form button")
    assert text_of(button) == "Import 2 rows"

    response = bu.post(step("import_preview", upload))
    assert response.status_code == 302 and response["Location"] == step("import_result", upload)
    page = bu.get(response["Location"])
    assert "2 created" in visible_text(page)
    assert "0 updated" in visible_text(page) and "0 unchanged" in visible_text(page)
    assert set(
        agency_model()
        .objects.filter(partnership=world.partnership)
        .values_list("name", "is_active")
    ) >= {("Northdale School", True), ("Northdale Youth Justice", False)}
    upload.refresh_from_db()
    assert upload.completed_at is not None and upload.rows == ""
    assert AuditEvent.objects.filter(action=f"{NAME}.import").count() == 1
    # A finished upload cannot be imported twice: its steps lead to its result.
    assert bu.post(step("import_preview", upload))["Location"] == step("import_result", upload)
    assert bu.get(step("import_map", upload))["Location"] == step("import_result", upload)

    post_file(bu, GOOD)
    again = ImportUpload.objects.latest("pk")
    bu.post(step("import_map", again), MAPPING)
    bu.post(step("import_preview", again))
    page = bu.get(step("import_result", again))
    assert "0 created" in visible_text(page) and "2 unchanged" in visible_text(page)
    assert agency_model().objects.filter(name="Northdale School").count() == 1


def test_an_xlsx_file_is_read_too(bu):
    content = xlsx([["Agency", "Type"], ["Northdale School", "Education"]])
    response = post_file(bu, content, "tracker.xlsx")
    upload = ImportUpload.objects.get()
    assert response["Location"] == step("import_map", upload)
    assert upload.mapping == {
        "name": "Agency",
        "agency_type": "Type",
        "is_active": None,
        "since": None,
    }


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("tracker.pdf", b"%PDF-1.4", "The file must be a CSV or Excel spreadsheet (.csv or .xlsx)"),
        ("tracker.csv", b"Organisation\n", "The file has column headings but no rows below them"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_in_the_error_summary(bu, filename, content, message):
    page = post_file(bu, content, filename)
    assert page.status_code == 200
    assert error_summary(page) == [("#id_file", message)]
    assert not ImportUpload.objects.exists()


def test_no_file_chosen(bu):
    page = bu.post(upload_url(), {})
    assert error_summary(page) == [("#id_file", "Select a CSV or Excel file")]


def test_columns_must_cover_the_required_fields_once_each(bu):
    post_file(bu, GOOD)
    upload = ImportUpload.objects.get()
    page = bu.post(
        step("import_map", upload),
        {"name": "Organisation", "agency_type": "", "is_active": "Organisation"},
    )
    assert page.status_code == 200
    assert error_summary(page) == [
        ("#id_agency_type", "Choose the column that holds type"),
        ("#id_is_active", "“Organisation” is already chosen for agency name"),
    ]
    upload.refresh_from_db()
    assert upload.mapping["agency_type"] is None  # nothing saved


def test_problems_are_listed_by_row_and_nothing_can_be_imported(bu, world):
    post_file(bu, BAD)
    upload = ImportUpload.objects.get()
    bu.post(step("import_map", upload), MAPPING)
    page = bu.get(step("import_preview", upload))
    assert error_summary(page) == [
        ("#problems", "The file has 3 problems. Correct the spreadsheet and upload it again")
    ]
    problems = table_rows(page, "#import-errors")
    assert [row[:2] for row in problems] == [
        ["3", "Organisation"],
        ["4", "Kind of agency"],
        ["4", "In use"],
    ]
    assert problems[0][2] == "Enter agency name"
    assert problems[2][2] == "Must be Yes or No"
    assert table_rows(page, "#import-preview") == [
        ["2", "Northdale School", "education", "Yes", ""]
    ]
    assert soup(page).select_one("#import-form button") is None
    # Posting anyway writes nothing.
    page = bu.post(step("import_preview", upload))
    assert page.status_code == 200
    assert not agency_model().objects.filter(name="Northdale School").exists()
    upload.refresh_from_db()
    assert upload.completed_at is None


def test_a_refusal_from_the_app_shows_on_the_check_page_and_nothing_is_written(bu):
    content = f"Organisation,Type\nNorthdale School,Education\n{REFUSED_NAME},Police\n"
    post_file(bu, content.encode())
    upload = ImportUpload.objects.get()
    bu.post(step("import_map", upload), {"name": "Organisation", "agency_type": "Type"})
    page = bu.post(step("import_preview", upload))
    assert page.status_code == 200
    assert table_rows(page, "#import-errors") == [
        ["All rows", "Test agencies", "This agency cannot be imported"]
    ]
    assert not agency_model().objects.filter(name="Northdale School").exists()
    upload.refresh_from_db()
    assert upload.completed_at is None


def test_the_check_page_costs_a_fixed_number_of_queries(bu, django_assert_max_num_queries):
    post_file(bu, GOOD)
    upload = ImportUpload.objects.get()
    bu.post(step("import_map", upload), MAPPING)
    with django_assert_max_num_queries(12):
        assert bu.get(step("import_preview", upload)).status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "agency_lead", "system_admin"])
def test_people_without_the_permission_get_not_found(world, client_for, importer, role):
    client = client_for(role)
    assert client.get(upload_url()).status_code == 404
    assert post_file(client, GOOD).status_code == 404
    assert not ImportUpload.objects.exists()


def test_nobody_else_can_continue_an_upload(bu, world, client_for):
    post_file(bu, GOOD)
    upload = ImportUpload.objects.get()
    bu.post(step("import_map", upload), MAPPING)
    colleague = get_user_model().objects.create_user("colleague@example.org", "x-2026-long-pass")
    apps.get_model("partnerships", "Membership").objects.create(
        user=colleague, partnership=world.partnership, role=Role.BUSINESS_UNIT
    )
    others = [signed_in(colleague), client_for("other_business_unit")]
    for other in others:
        for name in ("import_map", "import_preview", "import_result"):
            assert other.get(step(name, upload)).status_code == 404, name
        assert other.post(step("import_preview", upload)).status_code == 404
    assert not agency_model().objects.filter(name="Northdale School").exists()


def test_an_upload_older_than_a_day_cannot_be_continued(bu):
    post_file(bu, GOOD)
    upload = ImportUpload.objects.get()
    a_day_ago = timezone.now() - timedelta(days=1, minutes=1)
    ImportUpload.objects.filter(pk=upload.pk).update(created_at=a_day_ago)
    response = bu.get(step("import_preview", upload))
    assert response["Location"] == upload_url()
    page = bu.get(upload_url())
    assert "That upload is more than a day old" in visible_text(page)


def test_an_unknown_importer_is_not_found(bu):
    url = reverse("core:import_upload", kwargs={"name": "no-such-import"})
    assert bu.get(url).status_code == 404
