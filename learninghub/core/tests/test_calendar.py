"""Tests for the statutory calendar and the ``statutory_deadline`` management command.

The acceptance table below is carried inside this file on purpose: these dates were checked by
hand against Working Together to Safeguard Children 2023 (chapter 5) and the England and Wales
bank holiday list, and the project must not depend on any folder outside the repository.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learninghub.core.calendar import (
    RULES,
    DeadlineStatus,
    add_calendar_months,
    add_working_days,
    deadline_status,
    describe,
    due_date,
    is_working_day,
    status_tag_colour,
    subtract_working_days,
    working_days_between,
)

# rule, start, expected due date
ACCEPTANCE_CASES: list[tuple[str, str, str]] = [
    ("notification", "2018-05-08", "2018-05-15"),
    ("notification", "2018-05-29", "2018-06-05"),
    ("notification", "2018-08-28", "2018-09-04"),
    ("notification", "2018-12-24", "2019-01-03"),
    ("notification", "2021-04-01", "2021-04-12"),
    ("notification", "2022-04-19", "2022-04-26"),
    ("notification", "2023-01-03", "2023-01-10"),
    ("notification", "2023-04-28", "2023-05-09"),
    ("notification", "2028-08-28", "2028-09-04"),
    # The death of a looked-after child or care leaver: Ofsted and the Secretary of State
    # within the same 5 working days of becoming aware.
    ("looked_after_death", "2018-12-24", "2019-01-03"),
    ("looked_after_death", "2023-04-28", "2023-05-09"),
    ("care_leaver_death", "2022-04-19", "2022-04-26"),
    ("care_leaver_death", "2023-04-28", "2023-05-09"),
    ("publication", "2018-08-31", "2019-02-28"),
    ("publication", "2019-04-19", "2019-10-19"),
    ("publication", "2023-05-09", "2023-11-09"),
    ("publication", "2024-05-06", "2024-11-06"),
    ("rapid_review", "2018-12-26", "2019-01-17"),
    ("rapid_review", "2019-04-10", "2019-05-03"),
    ("rapid_review", "2019-04-16", "2019-05-10"),
    ("rapid_review", "2019-12-29", "2020-01-20"),
    ("rapid_review", "2020-12-23", "2021-01-18"),
    ("rapid_review", "2024-12-22", "2025-01-15"),
    ("rapid_review", "2025-05-06", "2025-05-28"),
    ("send_to_panel", "2022-09-18", "2022-09-08"),
    ("send_to_panel", "2023-05-01", "2023-04-20"),
    ("send_to_panel", "2025-01-01", "2024-12-19"),
    ("send_to_panel", "2026-05-01", "2026-04-22"),
]


def _ids(case: tuple[str, str, str]) -> str:
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize(
    ("rule", "start", "expected"), ACCEPTANCE_CASES, ids=map(_ids, ACCEPTANCE_CASES)
)
def test_due_date_acceptance(rule: str, start: str, expected: str) -> None:
    assert due_date(rule, date.fromisoformat(start)) == date.fromisoformat(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "start", "expected"), ACCEPTANCE_CASES, ids=map(_ids, ACCEPTANCE_CASES)
)
def test_command_acceptance(rule: str, start: str, expected: str) -> None:
    out = io.StringIO()
    call_command("statutory_deadline", rule, start, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert describe(rule, date.fromisoformat(start)) in lines[0]
    assert lines[-1] == expected


def test_acceptance_table_covers_every_rule() -> None:
    assert {rule for rule, _, _ in ACCEPTANCE_CASES} == set(RULES)


def test_rules_are_exactly_the_statutory_set() -> None:
    assert set(RULES) == {
        "notification",
        "looked_after_death",
        "care_leaver_death",
        "rapid_review",
        "publication",
        "send_to_panel",
    }
    for code, rule in RULES.items():
        assert rule.code == code


@pytest.mark.parametrize(
    "day",
    [
        date(2022, 6, 2),  # Spring bank holiday moved for the Platinum Jubilee
        date(2022, 6, 3),  # Platinum Jubilee
        date(2022, 9, 19),  # State funeral of Queen Elizabeth II
        date(2023, 5, 8),  # Coronation of King Charles III
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2020, 12, 28),  # Boxing Day substitute
    ],
)
def test_bank_holidays_are_not_working_days(day: date) -> None:
    assert not is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 12, 20))  # Saturday
    assert not is_working_day(date(2025, 12, 21))  # Sunday
    assert is_working_day(date(2025, 12, 19))  # Friday
    assert is_working_day(date(2025, 12, 22))  # Monday


def test_days_around_one_off_holidays_are_working_days() -> None:
    assert is_working_day(date(2022, 6, 1))
    assert is_working_day(date(2022, 9, 20))
    assert is_working_day(date(2023, 5, 9))


def test_add_working_days_skips_weekend() -> None:
    assert add_working_days(date(2025, 12, 19), 1) == date(2025, 12, 22)


def test_add_working_days_skips_one_off_holidays() -> None:
    # Wed 1 June 2022 + 1 skips the Thursday and Friday jubilee holidays and the weekend.
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)
    assert add_working_days(date(2022, 9, 16), 1) == date(2022, 9, 20)
    assert subtract_working_days(date(2023, 5, 9), 1) == date(2023, 5, 5)


def test_zero_working_days_returns_same_day() -> None:
    saturday = date(2025, 12, 20)
    assert add_working_days(saturday, 0) == saturday
    assert subtract_working_days(saturday, 0) == saturday


def test_negative_working_days_rejected() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(date(2025, 1, 1), -1)
    with pytest.raises(ValueError, match="zero or more"):
        subtract_working_days(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    "start",
    [date(2022, 6, 1), date(2022, 12, 23), date(2023, 5, 5), date(2024, 12, 24), date(2025, 3, 3)],
)
@pytest.mark.parametrize("n", [1, 5, 7, 15, 40])
def test_add_then_subtract_round_trip(start: date, n: int) -> None:
    assert is_working_day(start)
    assert subtract_working_days(add_working_days(start, n), n) == start
    assert add_working_days(subtract_working_days(start, n), n) == start


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2018, 8, 31), 6, date(2019, 2, 28)),
        (date(2025, 3, 31), 6, date(2025, 9, 30)),
        (date(2025, 7, 15), 6, date(2026, 1, 15)),  # crosses the year end
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months) == expected


def test_working_days_between() -> None:
    friday = date(2025, 12, 19)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, date(2025, 12, 22)) == 1
    # Christmas Day and Boxing Day are not counted.
    assert working_days_between(date(2025, 12, 22), date(2025, 12, 29)) == 3
    assert working_days_between(date(2025, 12, 29), date(2025, 12, 22)) == -3


def test_describe() -> None:
    assert (
        describe("rapid_review", date(2025, 12, 19))
        == "15 working days from notification on 19 December 2025"
    )
    assert (
        describe("notification", date(2025, 5, 6))
        == "5 working days from becoming aware on 6 May 2025"
    )
    assert describe("publication", date(2023, 5, 9)) == "6 months from the decision on 9 May 2023"
    assert (
        describe("send_to_panel", date(2026, 5, 1))
        == "7 working days before planned publication on 1 May 2026"
    )


def test_unknown_rule_raises_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown statutory rule 'review'") as excinfo:
        due_date("review", date(2025, 1, 1))
    for code in RULES:
        assert code in str(excinfo.value)
    with pytest.raises(ValueError, match="valid rules are"):
        describe("review", date(2025, 1, 1))


# Due Monday 15 December 2025: Wednesday 10th leaves 3 working days, Tuesday 9th leaves 4.
DUE = date(2025, 12, 15)


@pytest.mark.parametrize(
    ("done_on", "today", "expected"),
    [
        (date(2025, 12, 15), date(2026, 1, 30), DeadlineStatus.MET),
        (date(2025, 12, 1), date(2025, 12, 1), DeadlineStatus.MET),
        (date(2025, 12, 16), date(2025, 12, 16), DeadlineStatus.MET_LATE),
        (None, date(2025, 12, 16), DeadlineStatus.OVERDUE),
        (None, date(2025, 12, 15), DeadlineStatus.DUE_SOON),
        (None, date(2025, 12, 10), DeadlineStatus.DUE_SOON),
        (None, date(2025, 12, 9), DeadlineStatus.ON_TRACK),
        (None, date(2025, 11, 1), DeadlineStatus.ON_TRACK),
    ],
)
def test_deadline_status(done_on: date | None, today: date, expected: DeadlineStatus) -> None:
    assert deadline_status(DUE, done_on=done_on, today=today) is expected


def test_due_soon_counts_working_days_not_calendar_days() -> None:
    # Due Monday 29 December 2025; from Friday 19th only 22, 23, 24 and 29 are working days.
    assert deadline_status(date(2025, 12, 29), done_on=None, today=date(2025, 12, 19)) is (
        DeadlineStatus.ON_TRACK
    )
    assert deadline_status(date(2025, 12, 29), done_on=None, today=date(2025, 12, 22)) is (
        DeadlineStatus.DUE_SOON
    )


def test_deadline_status_values() -> None:
    assert [s.value for s in DeadlineStatus] == [
        "on track",
        "due soon",
        "overdue",
        "met",
        "met late",
    ]
    assert str(DeadlineStatus.MET_LATE) == "met late"


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (DeadlineStatus.ON_TRACK, "govuk-tag--green"),
        (DeadlineStatus.DUE_SOON, "govuk-tag--yellow"),
        (DeadlineStatus.OVERDUE, "govuk-tag--red"),
        (DeadlineStatus.MET, "govuk-tag--blue"),
        (DeadlineStatus.MET_LATE, "govuk-tag--orange"),
        ("met late", "govuk-tag--orange"),
    ],
)
def test_status_tag_colour(status: DeadlineStatus | str, colour: str) -> None:
    assert status_tag_colour(status) == colour


@pytest.mark.django_db
@pytest.mark.parametrize("bad_date", ["2025-13-01", "2025-02-30", "19/12/2025", "20251219", "soon"])
def test_command_rejects_bad_date(bad_date: str) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("statutory_deadline", "notification", bad_date, stdout=io.StringIO())


@pytest.mark.django_db
def test_command_rejects_unknown_rule() -> None:
    with pytest.raises(CommandError, match="Unknown statutory rule 'review'") as excinfo:
        call_command("statutory_deadline", "review", "2025-12-19", stdout=io.StringIO())
    for code in RULES:
        assert code in str(excinfo.value)
