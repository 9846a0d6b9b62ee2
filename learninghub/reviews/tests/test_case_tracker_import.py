"""Importing a partnership's case tracker: headings guessed, every row checked with its row
number, each case recorded through the services (rules, audit, clocks), all or nothing, and a
second run of the same file changing nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from learninghub.core import spreadsheets
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import soup, table_rows, visible_text
from learninghub.reviews import selectors
from learninghub.reviews.importers import FIELDS, IMPORTER_NAME, CaseTrackerImporter
from learninghub.reviews.models import Case, ClockKind
from learninghub.reviews.tests.factories import open_case

TODAY = date(2026, 6, 1)

HEADINGS = (
    "Case ref,Child,Age,Gender,Ethnic group,Date LA aware,Date of incident,Died,Serious harm,"
    "Abuse or neglect,LAC,Notified to Panel,RR meeting,Sign-off date,RR sent,Decision,Reasons,"
    "Decision date,Review type,Planned publication,Sent to Panel and SoS,Published"
)
# Row 2: just notified (its 5-working-day clock running); row 3: a local review under way.
OPEN = (
    "NDL-2026-001,Child A,1 to 4,Female,White: Irish,27/05/2026,26/05/2026,no,yes,yes,No,,,,,,,,,,,"
)
REVIEWED = (
    "NDL-2026-002,Child B,Under 1,Male,Not known,02/03/2026,01/03/2026,yes,no,yes,,06/03/2026,"
    "16/03/2026,18/03/2026,20/03/2026,Local review,Learning about multi-agency working,"
    "30/03/2026,LCSPR,25/09/2026,,"
)


def tracker(*rows: str) -> bytes:
    return ("\n".join([HEADINGS, *rows]) + "\n").encode("utf-8")


def table(content: bytes) -> spreadsheets.Table:
    return spreadsheets.read_table(SimpleUploadedFile("tracker.csv", content, "text/csv"))


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def importer():
    return spreadsheets.get(IMPORTER_NAME)


def run(world, content: bytes, *, partnership=None, role="business_unit"):
    found = table(content)
    importer = spreadsheets.get(IMPORTER_NAME)
    return spreadsheets.run(
        importer,
        found,
        spreadsheets.guess_mapping(importer, found.headers),
        auditor=Auditor(actor=world.user(role)),
        partnership=partnership or world.partnership,
    )


def test_it_is_registered_for_business_units(importer):
    assert isinstance(importer, CaseTrackerImporter)
    assert importer.permission == "reviews.import_cases"


def test_the_columns_are_guessed_from_a_tracker_s_usual_headings(importer):
    mapping = spreadsheets.guess_mapping(importer, HEADINGS.split(","))
    assert mapping == {
        "reference": "Case ref",
        "pseudonym": "Child",
        "age_band": "Age",
        "sex": "Gender",
        "ethnicity": "Ethnic group",
        "aware_date": "Date LA aware",
        "incident_date": "Date of incident",
        "child_died": "Died",
        "seriously_harmed": "Serious harm",
        "abuse_or_neglect_suspected": "Abuse or neglect",
        "care_status": "LAC",
        "notified_on": "Notified to Panel",
        "meeting_date": "RR meeting",
        "partners_signed_off_on": "Sign-off date",
        "rapid_review_sent_on": "RR sent",
        "decision": "Decision",
        "decision_reasons": "Reasons",
        "decision_date": "Decision date",
        "review_kind": "Review type",
        "planned_publication_on": "Planned publication",
        "late_publication_reason": None,
        "review_sent_on": "Sent to Panel and SoS",
        "published_on": "Published",
    }
    # And by the import's own labels, as in the template.
    labels = [f.label for f in FIELDS]
    assert all(spreadsheets.guess_mapping(importer, labels).values())


def test_each_row_becomes_a_case_through_the_services(world, today):
    result = run(world, tracker(OPEN, REVIEWED))

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    opened = Case.objects.get(partnership=world.partnership, reference="NDL-2026-001")
    child = opened.children.get()
    assert (child.pseudonym, child.age_band, child.sex, child.ethnicity) == (
        "Child A",
        "1_4",
        "female",
        "white_irish",
    )
    assert opened.pseudonym == "Child A"
    assert opened.notification.aware_date == date(2026, 5, 27)
    assert opened.notification.seriously_harmed and not opened.notification.child_died

    reviewed = Case.objects.get(reference="NDL-2026-002")
    assert reviewed.notification.sent_to_panel_on == date(2026, 3, 6)
    assert reviewed.rapid_review.decision == "local_review"
    assert reviewed.rapid_review.sent_to_panel_on == date(2026, 3, 20)
    assert reviewed.practice_review.kind == "local"
    assert reviewed.practice_review.decision_date == date(2026, 3, 30)
    assert reviewed.practice_review.planned_publication_on == date(2026, 9, 25)
    assert reviewed.practice_review.milestones.exists()  # the standard forward plan

    # Every write audited as if typed into the pages, and one summary of the import.
    assert AuditEvent.objects.filter(action="reviews.case.open").count() == 2
    assert AuditEvent.objects.filter(action="reviews.practice_review.start").count() == 1
    summary = AuditEvent.objects.get(action="case-tracker.import")
    assert summary.partnership_id == world.partnership.pk


def test_the_clocks_start_and_an_open_case_needs_attention(world, today):
    run(world, tracker(OPEN, REVIEWED))
    kinds = set(Case.objects.get(reference="NDL-2026-002").clocks.values_list("kind", flat=True))
    assert {ClockKind.NOTIFICATION, ClockKind.RAPID_REVIEW, ClockKind.PUBLICATION} <= kinds
    attention = selectors.needs_attention(user=world.user("business_unit"))
    due = {(c.case.reference, c.kind): c.due_date for c in attention}
    assert due[("NDL-2026-001", ClockKind.NOTIFICATION)] == date(2026, 6, 3)


def test_importing_the_same_file_again_changes_nothing(world, today):
    run(world, tracker(OPEN, REVIEWED))
    writes = AuditEvent.objects.exclude(kind=AuditEvent.Kind.READ).count()

    again = run(world, tracker(OPEN, REVIEWED))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # Only the import's own summary event: no service wrote anything.
    assert AuditEvent.objects.exclude(kind=AuditEvent.Kind.READ).count() == writes + 1
    assert Case.objects.filter(partnership=world.partnership).count() == 2


def test_a_changed_row_updates_its_case_and_only_that(world, today):
    run(world, tracker(OPEN, REVIEWED))
    slipped = REVIEWED.replace("25/09/2026", "28/09/2026")
    renamed = OPEN.replace("Child A", "Child C")

    result = run(world, tracker(renamed, slipped))

    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    reviewed = Case.objects.get(reference="NDL-2026-002")
    assert reviewed.practice_review.planned_publication_on == date(2026, 9, 28)
    renamed_case = Case.objects.get(reference="NDL-2026-001")
    assert renamed_case.children.get().pseudonym == "Child C"
    assert renamed_case.pseudonym == "Child C"
    assert AuditEvent.objects.filter(action="reviews.practice_review.update").exists()


def test_an_existing_case_with_an_empty_cell_keeps_its_value(world, today):
    run(world, tracker(OPEN, REVIEWED))
    blank_planned = REVIEWED.replace("25/09/2026", "")
    result = run(world, tracker(OPEN, blank_planned))
    assert result.unchanged == 2
    reviewed = Case.objects.get(reference="NDL-2026-002")
    assert reviewed.practice_review.planned_publication_on == date(2026, 9, 25)


def test_a_service_refusal_stops_the_whole_import(world, today):
    no_reasons = REVIEWED.replace("Learning about multi-agency working", "").replace(
        "NDL-2026-002", "NDL-2026-003"
    )
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        run(world, tracker(OPEN, REVIEWED, no_reasons))

    assert [(e.column, e.message) for e in refused.value.errors] == [
        ("Reasons for the decision", "Case NDL-2026-003: Give the reasons for the decision")
    ]
    # All or nothing: the good rows before it were rolled back too.
    assert not Case.objects.filter(partnership=world.partnership).exists()
    assert not AuditEvent.objects.filter(action="case-tracker.import").exists()


def test_every_refused_row_is_listed(world, today):
    not_serious = OPEN.replace("no,yes,yes,No", "no,no,no,No").replace(
        "NDL-2026-001", "NDL-2026-004"
    )
    no_start = REVIEWED.replace("30/03/2026", "").replace("NDL-2026-002", "NDL-2026-005")
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        run(world, tracker(not_serious, no_start))
    messages = [(e.column, e.message) for e in refused.value.errors]
    assert messages[0][0] == "Child died"
    assert messages[0][1].startswith("Case NDL-2026-004: A notifiable incident is one where")
    assert messages[1] == (
        "Decision date",
        "Case NDL-2026-005: Enter the decision date: the practice review starts then",
    )


def test_publication_is_left_to_the_practice_review_page(world, today):
    published = REVIEWED.replace(",25/09/2026,,", ",25/09/2026,15/05/2026,29/05/2026")
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        run(world, tracker(published))
    assert refused.value.errors[0].column == "Published date"
    assert "with the published report" in refused.value.errors[0].message


def test_a_pseudonym_that_could_identify_the_child_is_refused_with_its_row(importer):
    named = OPEN.replace("Child A", "Child A NE1 4XY")
    checked = spreadsheets.check(
        importer, table(tracker(named)), spreadsheets.guess_mapping(importer, HEADINGS.split(","))
    )
    assert [(e.row, e.column) for e in checked.errors] == [(2, "Child")]
    assert checked.errors[0].message.startswith('It contains "NE1 4XY" (')


def test_another_partnership_s_case_with_the_same_reference_is_untouched(world, today):
    open_case(world.other_partnership, reference="NDL-2026-001", pseudonym="Child Z")
    result = run(world, tracker(OPEN))
    assert result.created == 1
    assert Case.objects.get(partnership=world.other_partnership).pseudonym == "Child Z"


# The pages ---------------------------------------------------------------------------------


def _upload(client, content: bytes):
    response = client.post(
        reverse("core:import_upload", args=[IMPORTER_NAME]),
        {"file": SimpleUploadedFile("tracker.csv", content, "text/csv")},
    )
    assert response.status_code == 302, response.status_code
    return response["Location"]


def test_the_check_page_names_each_problem_s_row(world, client_for, today):
    bad_date = OPEN.replace("NDL-2026-001", "NDL-2026-006").replace("27/05/2026", "31/02/2026")
    unknown = REVIEWED.replace("Local review", "Maybe").replace("NDL-2026-002", "NDL-2026-007")
    repeat = OPEN.replace("NDL-2026-001", "ndl-2026-001")
    client = client_for("business_unit")
    columns = _upload(client, tracker(OPEN, bad_date, unknown, repeat))
    check = columns.replace("/columns/", "/check/")

    page = client.get(check)

    problems = table_rows(page, "#import-errors")
    assert problems[0] == ["3", "Date LA aware", "Must be a real date, like 27/03/2025"]
    assert problems[1][:2] == ["4", "Decision"]
    assert problems[1][2].startswith("Must be one of: No further review")
    assert problems[2] == ["5", "Case ref", "Repeats row 2: the same record twice"]
    assert "Nothing has been imported" in visible_text(page)
    assert not soup(page).select("#import-form")
    assert not Case.objects.exists()


def test_a_business_unit_imports_through_the_pages(world, client_for, today):
    client = client_for("business_unit")
    columns = _upload(client, tracker(OPEN, REVIEWED))
    check = columns.replace("/columns/", "/check/")
    assert client.get(columns).status_code == 200

    response = client.post(check)

    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "2" in visible_text(done)
    assert Case.objects.filter(partnership=world.partnership).count() == 2
    # The same file again: nothing changes.
    client.post(_upload(client, tracker(OPEN, REVIEWED)).replace("/columns/", "/check/"))
    assert Case.objects.filter(partnership=world.partnership).count() == 2
    summaries = AuditEvent.objects.filter(action="case-tracker.import").order_by("id")
    assert summaries.last().changes["unchanged"] == [None, 2]


def test_a_refusal_on_import_is_shown_and_nothing_is_saved(world, client_for, today):
    no_reasons = REVIEWED.replace("Learning about multi-agency working", "")
    client = client_for("business_unit")
    check = _upload(client, tracker(OPEN, no_reasons)).replace("/columns/", "/check/")

    page = client.post(check)

    assert page.status_code == 200
    problems = table_rows(page, "#import-errors")
    assert problems == [
        [
            "3",  # the spreadsheet's row: the header is row 1
            "Reasons for the decision",
            "Case NDL-2026-002: Give the reasons for the decision",
        ]
    ]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "role,status",
    [
        ("business_unit", 200),
        ("other_business_unit", 200),
        ("case_review_group", 404),
        ("agency_lead", 404),
        ("practitioner", 404),
        ("independent_reviewer", 404),
        ("system_admin", 404),
    ],
)
def test_only_a_business_unit_may_import(world, client_for, role, status):
    response = client_for(role).get(reverse("core:import_upload", args=[IMPORTER_NAME]))
    assert response.status_code == status


def test_a_case_review_group_member_cannot_post_a_file(world, client_for, today):
    response = client_for("case_review_group").post(
        reverse("core:import_upload", args=[IMPORTER_NAME]),
        {"file": SimpleUploadedFile("tracker.csv", tracker(OPEN), "text/csv")},
    )
    assert response.status_code == 404


def test_the_case_list_offers_the_import_and_its_template_to_the_business_unit(
    world, client_for, today
):
    page = soup(client_for("business_unit").get(reverse("reviews:case_list")))
    links = {a.get_text(strip=True): a["href"] for a in page.select("#case-import a")}
    assert links == {
        "Import cases from a spreadsheet": reverse("core:import_upload", args=[IMPORTER_NAME]),
        "download the template (.xlsx)": reverse("reviews:case_tracker_template"),
    }
    crg = soup(client_for("case_review_group").get(reverse("reviews:case_list")))
    assert not crg.select("#case-import")


def test_the_template_has_the_import_s_headings(world, client_for, importer):
    response = client_for("business_unit").get(reverse("reviews:case_tracker_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert headings == [f.label for f in importer.fields]
    assert sheet.max_row == 1
