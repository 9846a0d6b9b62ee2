"""hubSummaryList (rendered in Python) writes GOV.UK Frontend's summary list markup."""

import re

import pytest
from django.template import engines

from learninghub.core.summary_list import hub_summary_list


def _render(source: str, params) -> str:
    return engines["jinja2"].from_string(source).render({"params": params})


def _normal(html: str) -> str:
    # Whitespace between tags and at the edges of text does not show.
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


GOVUK = (
    '{% from "govuk_frontend_jinja/components/summary-list/macro.html" '
    "import govukSummaryList %}{{ govukSummaryList(params) }}"
)
HUB = '{% from "components/summary_list.jinja" import hubSummaryList %}{{ hubSummaryList(params) }}'

ROWS = [
    {"key": {"text": "Reference"}, "value": {"text": "NDSCP-2025-001 <b>"}},
    {"key": {"html": "<abbr>CDOP</abbr>"}, "value": {"html": "<ul><li>Child A</li></ul>"}},
    None,
    {
        "key": {"text": "Opened", "classes": "k"},
        "value": {"text": 3, "classes": "v"},
        "classes": "r",
    },
]


@pytest.mark.parametrize(
    "params",
    [
        {"rows": ROWS},
        {"rows": ROWS, "classes": "govuk-summary-list--no-border"},
        {
            "card": {
                "title": {"text": "Case details", "headingLevel": 2},
                "actions": {
                    "items": [{"href": "/edit/", "text": "Change", "visuallyHiddenText": "case"}]
                },
            },
            "rows": ROWS,
        },
        {
            "card": {
                "title": {"text": "Child A & B", "headingLevel": 3, "classes": "t"},
                "actions": {
                    "items": [
                        {"href": "/a/", "text": "Change"},
                        {"href": "/b/", "html": "<b>Remove</b>", "classes": "x"},
                    ]
                },
            },
            "rows": ROWS,
        },
        {"card": {"title": {"text": "Nothing to change"}}, "rows": ROWS},
    ],
)
def test_the_markup_is_govuk_frontend_s(params):
    assert hub_summary_list(params) is not None
    assert _normal(_render(HUB, params)) == _normal(_render(GOVUK, params))


def test_row_actions_fall_back_to_the_govuk_macro():
    params = {
        "rows": [
            {
                "key": {"text": "Name"},
                "value": {"text": "Child A"},
                "actions": {"items": [{"href": "/n/", "text": "Change"}]},
            }
        ]
    }
    assert hub_summary_list(params) is None
    assert _render(HUB, params) == _render(GOVUK, params)
