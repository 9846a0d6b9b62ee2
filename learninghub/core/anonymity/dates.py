"""Full dates written the ways people write them: 2015-03-04, 04/03/2015, 4/3/2015, 04.03.2015,
4 March 2015, 4th of March 2015, March 4 2015, March 4th, 2015 (and "Mar", "Sept").

Numeric dates are read the UK way, day first. Only real dates count: 31/02/2015 is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
_B = r"(?<![^\W_])"  # not straight after a letter or digit
_E = r"(?![^\W_])"  # not straight before one
_N = r"(?<!\d)(?<!\d[/.-])"  # not inside a longer run of numbers

DATE = re.compile(
    rf"""
    {_N}(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})(?![\d])
    | {_N}(?P<nd>\d{{1,2}})(?P<sep>[/.-])(?P<nm>\d{{1,2}})(?P=sep)(?P<ny>\d{{4}})(?![\d])
    | {_N}(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>\d{{2}})(?![\d/])
    | {_B}(?P<td>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<tm>{_MONTH})\.?,?\s+(?P<ty>\d{{4}}){_E}
    | {_B}(?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}}){_ORDINAL},?\s+(?P<uy>\d{{4}}){_E}
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _real(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(yy: int) -> int:
    this_year = date.today().year % 100
    return 2000 + yy if yy <= this_year else 1900 + yy


def _date_of(m: re.Match) -> date | None:
    g = m.groupdict()
    if g["iy"]:
        return _real(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["ny"]:
        return _real(int(g["ny"]), int(g["nm"]), int(g["nd"]))
    if g["sy"]:
        return _real(_two_digit_year(int(g["sy"])), int(g["sm"]), int(g["sd"]))
    if g["ty"]:
        return _real(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
    return _real(int(g["uy"]), MONTHS[g["um"].lower()], int(g["ud"]))


def find_dates(text: str) -> Iterator[tuple[int, int, date]]:
    """(start, end, the date) for each real full date written in `text`."""
    for m in DATE.finditer(text):
        day = _date_of(m)
        if day is not None:
            yield m.start(), m.end(), day


def parse_date(value: str) -> date | None:
    """The date `value` is, when it is nothing but one full date in any written form."""
    value = " ".join(value.split())
    for start, end, day in find_dates(value):
        if start == 0 and end == len(value):
            return day
    return None
