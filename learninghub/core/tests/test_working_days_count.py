"""working_days_between counts by whole weeks and the bank holidays in between: it must agree
with counting day by day, across weekends, Christmas, Easter and years."""

from __future__ import annotations

import random
from datetime import date, timedelta

from learninghub.core import calendar


def _day_by_day(start: date, end: date) -> int:
    if end < start:
        return -_day_by_day(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + timedelta(offset))
    )


def test_known_counts():
    # Friday 19 December 2025 to Friday 2 January 2026: 22, 23, 24, 29, 30, 31 December and
    # 2 January (25, 26 December and 1 January are bank holidays).
    assert calendar.working_days_between(date(2025, 12, 19), date(2026, 1, 2)) == 7
    assert calendar.working_days_between(date(2026, 1, 2), date(2025, 12, 19)) == -7
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    # A Saturday to the Monday after: the Monday only.
    assert calendar.working_days_between(date(2026, 3, 7), date(2026, 3, 9)) == 1


def test_agrees_with_counting_day_by_day():
    rng = random.Random(7)
    for _ in range(3000):
        start = date(2019, 1, 1) + timedelta(rng.randrange(365 * 9))
        end = start + timedelta(rng.randrange(-500, 500))
        assert calendar.working_days_between(start, end) == _day_by_day(start, end), (start, end)


def test_around_christmas_and_easter_every_year():
    for year in range(2020, 2028):
        for anchor in (date(year, 12, 25), date(year, 4, 10)):
            for shift in range(-12, 12):
                start = anchor + timedelta(shift)
                for length in range(0, 25):
                    end = start + timedelta(length)
                    assert calendar.working_days_between(start, end) == _day_by_day(start, end)
