"""The audit log's search as a django-filter FilterSet (issue 7, item 8).

The page and `audit_search` filter through `AuditEventFilter`; its form keeps the page's
labels and messages, and a bad date or a range that ends before it starts is a form error.
"""

from __future__ import annotations

from datetime import date

import time_machine

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.filters import AuditEventFilter
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.selectors import audit_search

SYSTEM = Auditor.for_system("nightly job")


def record(day: date, summary: str, kind=AuditEvent.Kind.ACTION) -> None:
    with time_machine.travel(day.isoformat() + " 12:00Z", tick=False):
        SYSTEM.record(kind, action="test.event", summary=summary)


def summaries(data) -> list[str]:
    found = AuditEventFilter(data, queryset=AuditEvent.objects.order_by("id"))
    assert found.is_valid(), found.form.errors
    return [event.summary for event in found.qs]


def test_text_kind_and_dates_filter_the_log(db):
    record(date(2026, 3, 31), "Opened the Northdale file")
    record(date(2026, 4, 15), "Changed the Eastmoor agency", AuditEvent.Kind.UPDATE)
    record(date(2026, 4, 30), "Opened the Eastmoor file")

    assert summaries({"q": "eastmoor"}) == [
        "Changed the Eastmoor agency",
        "Opened the Eastmoor file",
    ]
    assert summaries({"kind": "update"}) == ["Changed the Eastmoor agency"]
    assert summaries({"date_from": "2026-04-01", "date_to": "2026-04-15"}) == [
        "Changed the Eastmoor agency"
    ]
    assert summaries({"q": "opened", "date_from": "2026-04-01"}) == ["Opened the Eastmoor file"]
    # The selector the API and the tests use filters through the same FilterSet.
    assert [e.summary for e in audit_search(partnership_ids=None, kind="update")] == [
        "Changed the Eastmoor agency"
    ]


def test_bad_dates_are_form_errors_in_plain_english(db):
    found = AuditEventFilter({"date_from": "1 April", "date_to": "2026-13-01"})
    assert not found.is_valid()
    assert found.form.errors == {
        "date_from": ["Enter the start date as YYYY-MM-DD, like 2026-04-01"],
        "date_to": ["Enter the end date as YYYY-MM-DD, like 2026-04-30"],
    }


def test_a_range_that_ends_before_it_starts_is_an_error(db):
    found = AuditEventFilter({"date_from": "2026-04-30", "date_to": "2026-04-01"})
    assert not found.is_valid()
    assert found.form.errors == {
        "date_to": ["The end date must be the same as or after the start date"]
    }


def test_the_form_keeps_the_page_s_labels_and_choices():
    form = AuditEventFilter().form
    assert [form[name].label for name in ("q", "kind", "date_from", "date_to")] == [
        "Search the log",
        "Type of event",
        "From (YYYY-MM-DD)",
        "To (YYYY-MM-DD)",
    ]
    choices = list(form.fields["kind"].choices)
    assert choices[0] == ("", "All events")
    assert ("login_failed", "Failed sign-in") in choices
