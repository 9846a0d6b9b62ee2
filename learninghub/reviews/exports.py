"""The columns of the case review spreadsheets (core/spreadsheets writes the files).

- `CASE_LIST`: one row per case, as the case list filters them.
- `TIMELINESS_FIGURES`: the timeliness page's table, one row per statutory step.
- `TIMELINESS_CASES`: case by case, each counted deadline due in the period (due, done, on time
  or late by N working days) and the 7-working-day check for reports published in it.
- `CASE_DEADLINES`: a case's statutory clocks, as its page shows them.

Rows come from `selectors.case_export_list`, `selectors.timeliness`,
`selectors.timeliness_cases` and `selectors.case_clocks`.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from learninghub.core.spreadsheets import Column

from . import selectors
from .models import ClockKind
from .presenters import stage_label


def _one(obj, name: str):
    """A one-to-one record already selected with its owner, or None."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _get(obj, *path: str):
    for name in path:
        if obj is None:
            return None
        obj = _one(obj, name)
    return obj


def _display(obj, field: str) -> str | None:
    if obj is None or not getattr(obj, field):
        return None
    return getattr(obj, f"get_{field}_display")()


def _due(kind: str):
    def value(case):
        clock = selectors.clock_of(case, kind)
        return clock.due_date if clock else None

    return value


def _next_deadline(case) -> str | None:
    clock = selectors.next_open_clock(case)
    if clock is None:
        return None
    return clock.get_kind_display() + (" (on hold)" if clock.suspended else "")


def _next_due(case):
    clock = selectors.next_open_clock(case)
    return clock.due_date if clock else None


CASE_LIST = [
    Column("Reference", lambda case: case.reference),
    Column("Known as", lambda case: case.pseudonym),
    Column("Children", lambda case: len(case.children.all()), kind="number"),
    Column("Stage", stage_label),
    Column("Opened", lambda case: case.opened_at, kind="date"),
    Column(
        "Local authority aware", lambda case: _get(case, "notification", "aware_date"), kind="date"
    ),
    Column("Notification due", _due(ClockKind.NOTIFICATION), kind="date"),
    Column(
        "Notification sent to the Panel",
        lambda case: _get(case, "notification", "sent_to_panel_on"),
        kind="date",
    ),
    Column("Rapid review due", _due(ClockKind.RAPID_REVIEW), kind="date"),
    Column(
        "Rapid review sent to the Panel",
        lambda case: _get(case, "rapid_review", "sent_to_panel_on"),
        kind="date",
    ),
    Column("Decision", lambda case: _display(_one(case, "rapid_review"), "decision")),
    Column("Practice review", lambda case: _display(_one(case, "practice_review"), "kind")),
    Column(
        "Decision date", lambda case: _get(case, "practice_review", "decision_date"), kind="date"
    ),
    Column(
        "Planned publication",
        lambda case: _get(case, "practice_review", "planned_publication_on"),
        kind="date",
    ),
    Column(
        "Sent to the Panel and Secretary of State",
        lambda case: _get(case, "practice_review", "sent_to_panel_on"),
        kind="date",
    ),
    Column("Published", lambda case: _get(case, "practice_review", "published_on"), kind="date"),
    Column("Next deadline", _next_deadline),
    Column("Next deadline due", _next_due, kind="date"),
]


TIMELINESS_FIGURES = [
    Column("Statutory step", lambda share: share.label),
    Column("On time", lambda share: share.on_time, kind="number"),
    Column("Counted", lambda share: share.total, kind="number"),
    Column("Share on time (%)", lambda share: share.percent, kind="number"),
    Column("Not counted: on hold", lambda share: share.excluded, kind="number"),
]


def _clock_columns(kind: str, name: str) -> list[Column]:
    def clock(row):
        return row.clock(kind)

    return [
        Column(f"{name} due", lambda row: getattr(clock(row), "due_date", None), kind="date"),
        Column(f"{name} done", lambda row: getattr(clock(row), "done_on", None), kind="date"),
        Column(f"{name}: on time?", lambda row: selectors.clock_result(clock(row))),
    ]


def _seven_day(row, attr: str):
    return getattr(row.seven_day, attr) if row.seven_day is not None else None


TIMELINESS_CASES = [
    Column("Reference", lambda row: row.reference),
    Column("Known as", lambda row: row.pseudonym),
    *_clock_columns(ClockKind.NOTIFICATION, "Notification"),
    *_clock_columns(ClockKind.RAPID_REVIEW, "Rapid review"),
    *_clock_columns(ClockKind.PUBLICATION, "Publication"),
    Column(
        "Report sent to the Panel and Secretary of State",
        lambda row: _seven_day(row, "sent_on"),
        kind="date",
    ),
    Column("Report published", lambda row: _seven_day(row, "published_on"), kind="date"),
    Column(
        "Working days from sending to publication",
        lambda row: _seven_day(row, "working_days"),
        kind="number",
    ),
    Column("7-working-day check met", lambda row: _seven_day(row, "meets"), kind="bool"),
]


def _deadline_name(clock) -> str:
    request = clock.information_request
    if request is not None:
        return f"{clock.get_kind_display()}: {request.agency.name}"
    return clock.get_kind_display()


CASE_DEADLINES = [
    Column("Deadline", _deadline_name),
    Column("Rule", lambda clock: clock.description),
    Column("Starts", lambda clock: clock.start_date, kind="date"),
    Column("Due", lambda clock: clock.due_date, kind="date"),
    Column("Done", lambda clock: clock.done_on, kind="date"),
    Column("Status", lambda clock: selectors.clock_status_text(clock)),
    Column("On time?", lambda clock: selectors.clock_result(clock)),
    Column("On hold", lambda clock: clock.suspended, kind="bool"),
    Column("Reason on hold", lambda clock: clock.suspended_reason or None),
]
