"""The shared table and record-navigation macros (core/jinja2/components/).

A table stacks into one block per row on a phone only if every cell carries its column's
label; the service keeps one way of drawing tables only if no template writes its own.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.template import engines

TABLE = '{% from "components/table.jinja" import hubTable %}'
NAVIGATION = '{% from "components/navigation.jinja" import subNavigation %}'
ACTIONS = '<span class="govuk-visually-hidden">Actions</span>'


def render(source: str, **context) -> BeautifulSoup:
    html = engines["jinja2"].from_string(source).render(context)
    return BeautifulSoup(html, "html.parser")


def table(params: dict) -> BeautifulSoup:
    return render(TABLE + "{{ hubTable(params) }}", params=params)


def test_every_cell_is_labelled_with_its_column_for_the_stacked_rows():
    soup = table(
        {
            "caption": "Open deadlines (1)",
            "captionClasses": "govuk-table__caption--m",
            "head": [{"text": "Case"}, {"text": "Share", "format": "numeric"}, {"html": ACTIONS}],
            "rows": [
                [
                    {"html": '<a class="govuk-link" href="/c/1/">C-1</a>'},
                    {"text": "75%", "format": "numeric"},
                    {"html": '<a class="govuk-link" href="/c/1/edit/">Change</a>'},
                ]
            ],
        }
    )
    found = soup.find("table")
    assert found["class"] == ["govuk-table", "hub-table"]
    assert found.caption.get_text() == "Open deadlines (1)"
    assert "govuk-table__caption--m" in found.caption["class"]
    assert [th["scope"] for th in found.thead.find_all("th")] == ["col", "col", "col"]
    assert "govuk-table__header--numeric" in found.thead.find_all("th")[1]["class"]
    cells = found.tbody.find_all("td")
    assert [cell.get("data-label") for cell in cells] == ["Case", "Share", "Actions"]
    assert cells[0].a["href"] == "/c/1/"  # HTML cells hold links and tags
    assert "govuk-table__cell--numeric" in cells[1]["class"]


def test_a_column_without_a_visible_header_gets_no_label_and_a_row_header_none():
    soup = table(
        {
            "caption": "Summaries",
            "firstCellIsHeader": True,
            "head": [{"text": "Agency"}, {"text": "Due"}, {"html": ACTIONS, "label": ""}],
            "rows": [
                {
                    "cells": [{"text": "Police"}, {"text": "1 May"}, {"text": "Change"}],
                    "attributes": {"id": "row-police"},
                }
            ],
        }
    )
    row = soup.find("tbody").find("tr")
    assert row["id"] == "row-police"
    header = row.find("th")
    assert header["scope"] == "row" and header.get_text() == "Police"
    assert not header.has_attr("data-label")  # the title of the stacked block
    assert [cell.get("data-label") for cell in row.find_all("td")] == ["Due", None]


def test_text_is_escaped_and_an_empty_table_says_so_across_every_column():
    soup = table(
        {
            "caption": "People",
            "head": [{"text": "Name"}, {"text": "Email address"}],
            "rows": [],
            "empty": "No one matches your search.",
        }
    )
    cell = soup.find("tbody").find("td")
    assert cell["colspan"] == "2" and cell.get_text() == "No one matches your search."
    assert not cell.has_attr("data-label")
    escaped = table({"head": [{"text": "Name"}], "rows": [[{"text": "<b>Child A</b>"}]]})
    assert escaped.find("b") is None
    assert escaped.find("td").get_text() == "<b>Child A</b>"


def test_record_navigation_marks_the_current_section_and_never_collapses():
    soup = render(
        NAVIGATION + '{{ subNavigation("Case C-1", items, id="case-sections") }}',
        items=[
            {"text": "Overview", "href": "/c/1/", "current": True},
            {"text": "Notification", "href": "/c/1/notification/"},
        ],
    )
    nav = soup.find("nav", attrs={"aria-label": "Case C-1"})
    assert nav is not None
    assert nav.find("ul")["id"] == "case-sections"
    current = nav.find_all("a", attrs={"aria-current": True})
    assert [(a.get_text(strip=True), a["aria-current"]) for a in current] == [("Overview", "page")]
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == ["Overview", "Notification"]
    # No menu button: on a phone the sections wrap instead of hiding behind it.
    assert soup.find("button") is None
    assert "hub-sub-navigation" in soup.find(class_="govuk-service-navigation")["class"]


def test_every_table_is_drawn_by_the_one_macro():
    """A hand-written table does not stack on a phone and pushes its last columns off it."""
    macro = Path(settings.BASE_DIR) / "learninghub/core/jinja2/components/table.jinja"
    templates = sorted((Path(settings.BASE_DIR) / "learninghub").glob("**/jinja2/**/*.jinja"))
    assert len(templates) > 20
    own_tables = [
        str(path.relative_to(settings.BASE_DIR))
        for path in templates
        if path != macro and ("<table" in (text := path.read_text()) or "govukTable" in text)
    ]
    assert own_tables == []
