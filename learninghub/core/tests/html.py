"""Reading pages in tests the way a browser does (BeautifulSoup), not with regular expressions.

A regular expression over HTML breaks when attributes change order or a template gains a
line break, and passes when the text it wants is inside a comment or a script. These helpers
parse the page once and ask it questions a person (or a screen reader) would.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


def soup(page) -> BeautifulSoup:
    """The parsed page: a test client response, bytes or a string of HTML."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def text_of(node: Tag | BeautifulSoup | None) -> str:
    """The text a person reads in `node`, whitespace collapsed ("" when there is no node)."""
    if node is None:
        return ""
    return " ".join(node.get_text(" ").split())


def visible_text(page) -> str:
    """Everything a person reads on the page: no scripts, styles or markup."""
    document = soup(page)
    for hidden in document(["script", "style", "template"]):
        hidden.decompose()
    return text_of(document)


def error_summary(page) -> list[tuple[str, str]]:
    """(href, message) pairs in the GOV.UK error summary; [] when there is none."""
    summary = soup(page).select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [(link.get("href", ""), text_of(link)) for link in summary.select("ul a")]


def table_rows(page, selector: str = "table") -> list[list[str]]:
    """The text of each body cell, row by row, of the first table matching `selector`."""
    table = soup(page).select_one(selector)
    if table is None:
        return []
    rows = table.select("tbody tr") or table.select("tr")[1:]
    return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in rows]


def field_value(page, name: str) -> str | None:
    """The value an input named `name` shows; None when there is no such input."""
    field = soup(page).find("input", attrs={"name": name})
    return None if field is None else field.get("value")


def checked_values(page, name: str) -> list[str]:
    """The values of the checked radios or checkboxes named `name`."""
    return [
        field.get("value", "")
        for field in soup(page).find_all("input", attrs={"name": name})
        if field.has_attr("checked")
    ]
