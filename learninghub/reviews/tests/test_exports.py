"""Spreadsheet downloads: the case list, the timeliness figures (and case by case, with the
7-working-day check) and a case's deadlines, read back as a business unit would open them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from learninghub.core import calendar
from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import soup
from learninghub.reviews import services
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)
from learninghub.reviews.tests.milestone_helpers import final_report, sign_off

TODAY = date(2026, 6, 1)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_dicts(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def published(partnership, reference: str, *, sent: date, on: date):
    case = reviewed_case(partnership, reference=reference)
    sign_off(case.practice_review, sent)
    services.practice_review_update(
        auditor=SYSTEM,
        review=case.practice_review,
        sent_to_panel_on=sent,
        published_on=on,
        publication_override_reason="" if on >= date(2026, 3, 11) else "Agreed with the Panel",
        published_document=final_report(case),
    )
    return case


# The case list -----------------------------------------------------------------------------


def test_the_case_list_downloads_one_row_per_case(world, client_for, today):
    decided_case(world.partnership, reference="NDL-2025-002", pseudonym="Child B")
    open_case(world.partnership, reference="NDL-2025-001", pseudonym="Child A")
    open_case(world.other_partnership, reference="EAST-2025-001", pseudonym="Child E")

    rows = as_dicts(
        xlsx_rows(
            client_for("business_unit").get(reverse("reviews:case_list_export", args=["xlsx"]))
        )
    )

    assert [r["Reference"] for r in rows] == ["NDL-2025-001", "NDL-2025-002"]
    decided = rows[1]
    assert decided["Known as"] == "Child B"
    assert decided["Children"] == 1
    assert decided["Stage"] == "Rapid review"
    assert decided["Local authority aware"].date() == date(2025, 12, 3)
    assert decided["Notification due"].date() == date(2025, 12, 10)
    assert decided["Notification sent to the Panel"].date() == date(2025, 12, 8)
    assert decided["Rapid review due"].date() == calendar.due_date(
        "rapid_review", date(2025, 12, 8)
    )
    assert decided["Rapid review sent to the Panel"].date() == date(2025, 12, 23)
    assert decided["Decision"] == "Local child safeguarding practice review"
    assert decided["Practice review"] is None
    assert rows[0]["Stage"] == "Notification"
    assert rows[0]["Next deadline"] is None


def test_the_download_applies_the_page_s_filters(world, client_for, today):
    decided_case(world.partnership, reference="NDL-2025-002", pseudonym="Child B")
    open_case(world.partnership, reference="NDL-2025-001", pseudonym="Child A")
    client = client_for("business_unit")

    by_stage = csv_rows(
        client.get(reverse("reviews:case_list_export", args=["csv"]), {"stage": "rapid_review"})
    )
    by_search = csv_rows(
        client.get(reverse("reviews:case_list_export", args=["csv"]), {"q": "Child A"})
    )

    assert [r["Reference"] for r in by_stage] == ["NDL-2025-002"]
    assert by_stage[0]["Notification due"] == "2025-12-10"
    assert [r["Reference"] for r in by_search] == ["NDL-2025-001"]


def test_the_case_list_page_links_to_its_downloads_with_its_filters(world, client_for, today):
    open_case(world.partnership, reference="NDL-2025-001")
    page = client_for("business_unit").get(reverse("reviews:case_list"), {"q": "NDL"})
    links = [
        (a.get_text(" ", strip=True), a["href"]) for a in soup(page).select("#case-list-export a")
    ]
    assert links == [
        (
            "Download as spreadsheet (.xlsx) : the cases found",
            reverse("reviews:case_list_export", args=["xlsx"]) + "?q=NDL",
        ),
        (
            "Download as spreadsheet (.csv) : the cases found",
            reverse("reviews:case_list_export", args=["csv"]) + "?q=NDL",
        ),
    ]


def test_the_case_list_download_is_audited_for_each_partnership(world, client_for, today):
    open_case(world.partnership, reference="NDL-2025-001")
    client_for("business_unit").get(reverse("reviews:case_list_export", args=["csv"]))
    event = AuditEvent.objects.get(action="reviews.case_list.export")
    assert event.kind == AuditEvent.Kind.READ
    assert event.partnership_id == world.partnership.pk
    assert "(1)" in event.summary


def test_another_partnership_s_business_unit_downloads_only_its_own(world, client_for, today):
    open_case(world.partnership, reference="NDL-2025-001")
    open_case(world.other_partnership, reference="EAST-2025-001")
    rows = csv_rows(
        client_for("other_business_unit").get(reverse("reviews:case_list_export", args=["csv"]))
    )
    assert [r["Reference"] for r in rows] == ["EAST-2025-001"]


@pytest.mark.parametrize("role", ["agency_lead", "practitioner", "independent_reviewer"])
def test_people_outside_the_case_team_get_404(world, client_for, role, today):
    case = open_case(world.partnership, reference="NDL-2025-001")
    client = client_for(role)
    for url in [
        reverse("reviews:case_list_export", args=["xlsx"]),
        reverse("reviews:timeliness_export", args=["csv"]),
        reverse("reviews:timeliness_cases_export", args=["csv"]),
        reverse("reviews:case_deadlines_export", args=[case.pk, "xlsx"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()


def test_a_bad_search_goes_back_to_the_page_rather_than_downloading_everything(
    world, client_for, today
):
    open_case(world.partnership, reference="NDL-2025-001")
    response = client_for("business_unit").get(
        reverse("reviews:case_list_export", args=["csv"]), {"stage": "nonsense"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:case_list") + "?stage=nonsense"
    assert not AuditEvent.objects.filter(action="reviews.case_list.export").exists()


def test_the_timeliness_figures_download_in_few_queries(
    world, client_for, today, django_assert_max_num_queries
):
    client = client_for("business_unit")
    url = reverse("reviews:timeliness_export", args=["csv"])
    notified_case(world.partnership, reference="NDL-2025-001")
    few = _queries(client, url)
    for n in range(2, 5):
        notified_case(world.partnership, reference=f"NDL-2025-00{n}")
    assert _queries(client, url) == few
    # Session, person, two-factor device, memberships; the clocks; the published reviews; the
    # session saved (in a savepoint).
    with django_assert_max_num_queries(9):
        client.get(url)


def test_an_unknown_format_is_404(world, client_for, today):
    response = client_for("business_unit").get(reverse("reviews:case_list_export", args=["pdf"]))
    assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_case_list_download_costs_the_same_for_more_cases(
    world, client_for, today, django_assert_max_num_queries
):
    client = client_for("business_unit")
    url = reverse("reviews:case_list_export", args=["xlsx"])
    decided_case(world.partnership, reference="NDL-2025-001")
    few = _queries(client, url)
    for n in range(2, 7):
        decided_case(world.partnership, reference=f"NDL-2025-00{n}")
    assert _queries(client, url) == few
    # Session, person and memberships; cases, their clocks and children; the read event.
    with django_assert_max_num_queries(14):
        client.get(url)


# Timeliness --------------------------------------------------------------------------------

PERIOD = {
    "date_from_day": "1",
    "date_from_month": "4",
    "date_from_year": "2025",
    "date_to_day": "31",
    "date_to_month": "3",
    "date_to_year": "2026",
}


def test_the_timeliness_figures_download_as_the_page_shows_them(world, client_for, today):
    notified_case(world.partnership, reference="NDL-2025-001")  # notified in time
    notified_case(  # notified 3 working days late
        world.partnership,
        reference="NDL-2025-002",
        aware=date(2025, 12, 3),
        sent=date(2025, 12, 15),
    )
    rows = as_dicts(
        xlsx_rows(
            client_for("case_review_group").get(
                reverse("reviews:timeliness_export", args=["xlsx"]), PERIOD
            )
        )
    )
    notification = next(r for r in rows if r["Statutory step"].startswith("Notifications"))
    assert (notification["On time"], notification["Counted"]) == (1, 2)
    assert notification["Share on time (%)"] == 50


def test_timeliness_case_by_case_says_how_late_and_checks_the_7_working_days(
    world, client_for, today
):
    notified_case(
        world.partnership,
        reference="NDL-2025-002",
        aware=date(2025, 12, 3),
        sent=date(2025, 12, 15),
    )
    published(world.partnership, "NDL-2025-003", sent=date(2026, 3, 2), on=date(2026, 3, 16))
    published(world.partnership, "NDL-2025-004", sent=date(2026, 3, 2), on=date(2026, 3, 5))
    open_case(world.other_partnership, reference="EAST-2025-001")

    rows = {
        r["Reference"]: r
        for r in csv_rows(
            client_for("business_unit").get(
                reverse("reviews:timeliness_cases_export", args=["csv"]), PERIOD
            )
        )
    }

    assert set(rows) == {"NDL-2025-002", "NDL-2025-003", "NDL-2025-004"}
    late = rows["NDL-2025-002"]
    assert late["Notification due"] == "2025-12-10"
    assert late["Notification done"] == "2025-12-15"
    assert late["Notification: on time?"] == "Late by 3 working days"
    assert late["7-working-day check met"] == ""
    assert rows["NDL-2025-003"]["Working days from sending to publication"] == "10"
    assert rows["NDL-2025-003"]["7-working-day check met"] == "Yes"
    assert rows["NDL-2025-004"]["Working days from sending to publication"] == "3"
    assert rows["NDL-2025-004"]["7-working-day check met"] == "No"
    assert rows["NDL-2025-004"]["Report published"] == "2026-03-05"
    event = AuditEvent.objects.get(action="reviews.timeliness.export")
    assert event.partnership_id == world.partnership.pk


def test_the_timeliness_page_links_to_both_downloads_for_its_period(world, client_for, today):
    page = soup(client_for("business_unit").get(reverse("reviews:timeliness"), PERIOD))
    figures = page.select("#timeliness-export a")
    by_case = page.select("#timeliness-cases-export a")
    assert [a.get_text(" ", strip=True) for a in by_case] == [
        "Download as spreadsheet (.xlsx) : case by case",
        "Download as spreadsheet (.csv) : case by case",
    ]
    assert figures[0]["href"].startswith(reverse("reviews:timeliness_export", args=["xlsx"]))
    assert "date_from_year=2025" in figures[0]["href"]
    assert "date_to_month=3" in by_case[1]["href"]


def test_a_bad_period_goes_back_to_the_page_to_show_the_error(world, client_for, today):
    response = client_for("business_unit").get(
        reverse("reviews:timeliness_cases_export", args=["csv"]), {**PERIOD, "date_to_day": "x"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reviews:timeliness") + "?")


def test_timeliness_by_case_costs_the_same_for_more_cases(world, client_for, today):
    client = client_for("business_unit")
    url = (
        reverse("reviews:timeliness_cases_export", args=["xlsx"])
        + "?"
        + "&".join(f"{k}={v}" for k, v in PERIOD.items())
    )
    published(world.partnership, "NDL-2025-001", sent=date(2026, 3, 2), on=date(2026, 3, 16))
    few = _queries(client, url)
    for n in range(2, 5):
        published(world.partnership, f"NDL-2025-00{n}", sent=date(2026, 3, 2), on=date(2026, 3, 16))
    assert _queries(client, url) == few
    assert few <= 13


# A case's deadlines ------------------------------------------------------------------------


def test_a_case_s_deadlines_download_with_their_rules_and_status(world, client_for, today):
    case = decided_case(world.partnership, reference="NDL-2025-001")
    client = client_for("case_review_group")
    rows = as_dicts(
        xlsx_rows(client.get(reverse("reviews:case_deadlines_export", args=[case.pk, "xlsx"])))
    )

    by_name = {r["Deadline"]: r for r in rows}
    notification = by_name["Notification to the Panel"]
    assert notification["Rule"] == "5 working days from becoming aware on 3 December 2025"
    assert notification["Due"].date() == date(2025, 12, 10)
    assert notification["Done"].date() == date(2025, 12, 8)
    assert notification["Status"] == "Met"
    assert notification["On time?"] == "On time"
    assert notification["On hold"] == "No"
    assert "Rapid review to the Panel" in by_name
    event = AuditEvent.objects.get(action="reviews.case_deadlines.export")
    assert event.kind == AuditEvent.Kind.READ
    assert event.object_id == str(case.pk)


def test_the_case_page_links_to_its_deadlines_download(world, client_for, today):
    case = notified_case(world.partnership, reference="NDL-2025-001")
    page = soup(client_for("business_unit").get(reverse("reviews:case_detail", args=[case.pk])))
    hrefs = [a["href"] for a in page.select("#deadlines-export a")]
    assert hrefs == [
        reverse("reviews:case_deadlines_export", args=[case.pk, "xlsx"]),
        reverse("reviews:case_deadlines_export", args=[case.pk, "csv"]),
    ]


def test_another_partnership_s_case_deadlines_are_404(world, client_for, today):
    case = notified_case(world.other_partnership, reference="EAST-2025-001")
    response = client_for("business_unit").get(
        reverse("reviews:case_deadlines_export", args=[case.pk, "csv"])
    )
    assert response.status_code == 404


def test_a_case_s_deadlines_download_in_few_queries(
    world, client_for, today, django_assert_max_num_queries
):
    case = decided_case(world.partnership, reference="NDL-2025-001")
    client = client_for("business_unit")
    url = reverse("reviews:case_deadlines_export", args=[case.pk, "csv"])
    client.get(url)  # the first request of a session also loads what every page caches
    # Session, person, memberships; the case, its agencies, themes and children; the read
    # event; the clocks; the session saved.
    with django_assert_max_num_queries(16):
        client.get(url)
