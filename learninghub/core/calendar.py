"""Statutory dates for child safeguarding practice reviews in England.

This module is the single source of truth for every statutory deadline the hub shows. Each
deadline comes from Working Together to Safeguard Children 2023, chapter 5 ("Learning from
serious child safeguarding incidents"), and the Child Safeguarding Practice Review Panel's
guidance for safeguarding partners. Keeping the arithmetic here, and nowhere else, means a
screen, a report and a management command can never disagree about when something is due.

"Working day" follows the ordinary meaning used by the guidance: Monday to Friday, excluding
bank holidays in England. The bank holiday list comes from the ``holidays`` package so that
one-off holidays (the 2022 Platinum Jubilee, the Queen's state funeral on 19 September 2022,
the coronation on 8 May 2023) are honoured without anyone having to remember to add them.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import holidays
from dateutil.relativedelta import relativedelta

__all__ = [
    "RULES",
    "DeadlineStatus",
    "StatutoryRule",
    "add_calendar_months",
    "add_working_days",
    "deadline_status",
    "describe",
    "due_date",
    "format_date",
    "get_rule",
    "is_working_day",
    "status_tag_colour",
    "subtract_working_days",
    "working_days_between",
]

# A deadline is "due soon" when this many working days or fewer remain, giving partners a
# working week's warning before a statutory deadline is missed.
DUE_SOON_WORKING_DAYS = 3

_SATURDAY = 5


@functools.lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # Reviews are run by English safeguarding partners, so the England (and Wales) list
    # applies; Scottish or Northern Irish holidays must not shift an English deadline.
    # Cached per year because deadline screens ask about the same few years repeatedly.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(d: date) -> bool:
    """Return True if ``d`` is a weekday that is not a bank holiday in England."""
    return d.weekday() < _SATURDAY and d not in _bank_holidays(d.year)


def _step_working_days(d: date, n: int, step: int) -> date:
    if n < 0:
        raise ValueError(f"Number of working days must be zero or more, got {n}.")
    current = d
    remaining = n
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def add_working_days(d: date, n: int) -> date:
    """Return the ``n``-th working day after ``d`` (``d`` itself when ``n`` is 0).

    Counting starts the day after ``d``: the day someone becomes aware of an incident is
    never counted as one of the five working days they have to notify the Panel.
    """
    return _step_working_days(d, n, 1)


def subtract_working_days(d: date, n: int) -> date:
    """Return the ``n``-th working day before ``d`` (``d`` itself when ``n`` is 0)."""
    return _step_working_days(d, n, -1)


def add_calendar_months(d: date, months: int) -> date:
    """Return the same day number ``months`` later, clamped to the end of a shorter month.

    The regulations express publication in months, not days, so 31 August plus six months
    is the last day of February rather than spilling into March. ``relativedelta`` clamps
    to the month's last day exactly this way.
    """
    return d + relativedelta(months=months)


def working_days_between(start: date, end: date) -> int:
    """Count working days after ``start`` up to and including ``end``.

    The result is negative when ``end`` is before ``start``, so callers can tell "3 days
    left" from "3 days late" with a single number.
    """
    if end < start:
        return -working_days_between(end, start)
    # Whole weeks hold five weekdays each; then the days left over, and less the bank
    # holidays on weekdays in between. Not day by day: every deadline's status asks this,
    # from today up to a due date that may be months away.
    weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()
    count = weeks * 5 + sum(1 for offset in range(1, rest + 1) if (first + offset) % 7 < _SATURDAY)
    for year in range(start.year, end.year + 1):
        count -= sum(
            1 for day in _bank_holidays(year) if start < day <= end and day.weekday() < _SATURDAY
        )
    return count


RuleKind = Literal["working_days", "calendar_months"]


@dataclass(frozen=True)
class StatutoryRule:
    """One statutory time limit.

    ``amount`` is signed: a negative amount counts back from the start date, which is how
    the "send to the Panel before publication" deadline is expressed. ``description`` is a
    template with a ``{date}`` placeholder for the formatted start date.
    """

    code: str
    label: str
    kind: RuleKind
    amount: int
    description: str


RULES: dict[str, StatutoryRule] = {
    rule.code: rule
    for rule in (
        # Children Act 2004 s16C and Working Together 2023 ch. 5: the local authority must
        # notify the Panel within 5 working days of becoming aware of a serious incident.
        StatutoryRule(
            code="notification",
            label="Serious incident notification to the Panel",
            kind="working_days",
            amount=5,
            description="5 working days from becoming aware on {date}",
        ),
        # Working Together 2023 ch. 5: the local authority must notify the Secretary of State
        # and Ofsted of the death of a looked-after child, whether or not abuse or neglect is
        # known or suspected, within 5 working days of becoming aware.
        StatutoryRule(
            code="looked_after_death",
            label="Death of a looked-after child to Ofsted and the Secretary of State",
            kind="working_days",
            amount=5,
            description="5 working days from becoming aware on {date}",
        ),
        # Working Together 2023 (December 2023 update): the same for the death of a care
        # leaver up to and including age 24.
        StatutoryRule(
            code="care_leaver_death",
            label="Death of a care leaver to Ofsted and the Secretary of State",
            kind="working_days",
            amount=5,
            description="5 working days from becoming aware on {date}",
        ),
        # Working Together 2023 ch. 5: safeguarding partners should send the rapid review
        # to the Panel within 15 working days of the serious incident notification.
        StatutoryRule(
            code="rapid_review",
            label="Rapid review to the Panel",
            kind="working_days",
            amount=15,
            description="15 working days from notification on {date}",
        ),
        # Working Together 2023 ch. 5 and the Panel guidance: a local child safeguarding
        # practice review should be completed and published within 6 months of the
        # decision to undertake it.
        StatutoryRule(
            code="publication",
            label="Publication of the local child safeguarding practice review",
            kind="calendar_months",
            amount=6,
            description="6 months from the decision on {date}",
        ),
        # Working Together 2023 ch. 5: the final report must reach the Panel and the
        # Secretary of State at least 7 working days before the planned publication date.
        StatutoryRule(
            code="send_to_panel",
            label="Final report to the Panel and Secretary of State",
            kind="working_days",
            amount=-7,
            description="7 working days before planned publication on {date}",
        ),
    )
}


def get_rule(rule_code: str) -> StatutoryRule:
    """Return the rule for ``rule_code``, or raise ``ValueError`` naming the valid rules."""
    try:
        return RULES[rule_code]
    except KeyError:
        valid = ", ".join(sorted(RULES))
        raise ValueError(
            f"Unknown statutory rule {rule_code!r}; valid rules are: {valid}."
        ) from None


def format_date(d: date) -> str:
    """Format a date the GOV.UK way, e.g. "9 December 2025" (no leading zero)."""
    return f"{d.day} {d:%B %Y}"


def due_date(rule_code: str, start: date) -> date:
    """Return the statutory due date for ``rule_code`` counted from ``start``."""
    rule = get_rule(rule_code)
    if rule.kind == "calendar_months":
        return add_calendar_months(start, rule.amount)
    if rule.amount >= 0:
        return add_working_days(start, rule.amount)
    return subtract_working_days(start, -rule.amount)


def describe(rule_code: str, start: date) -> str:
    """Return the rule in plain English, e.g. "15 working days from notification on ..."."""
    return get_rule(rule_code).description.format(date=format_date(start))


class DeadlineStatus(enum.StrEnum):
    ON_TRACK = "on track"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met late"


def deadline_status(due: date, *, done_on: date | None, today: date) -> DeadlineStatus:
    """Classify a deadline for display.

    Once the step is done the outcome is fixed (met or met late) regardless of today's date,
    because the Panel's interest is whether the statutory time limit was kept.
    """
    if done_on is not None:
        return DeadlineStatus.MET if done_on <= due else DeadlineStatus.MET_LATE
    if today > due:
        return DeadlineStatus.OVERDUE
    if working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK


_TAG_COLOURS: dict[DeadlineStatus, str] = {
    DeadlineStatus.ON_TRACK: "govuk-tag--green",
    DeadlineStatus.DUE_SOON: "govuk-tag--yellow",
    DeadlineStatus.OVERDUE: "govuk-tag--red",
    DeadlineStatus.MET: "govuk-tag--blue",
    DeadlineStatus.MET_LATE: "govuk-tag--orange",
}


def status_tag_colour(status: DeadlineStatus | str) -> str:
    """Return the GOV.UK Design System tag colour class for a deadline status."""
    return _TAG_COLOURS[DeadlineStatus(status)]
