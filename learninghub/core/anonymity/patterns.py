"""Identifying patterns found whatever the case's identifiers say: full dates (any of them could
be a date of birth), NHS numbers, UK postcodes, UK phone numbers and email addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .dates import find_dates

FULL_DATE = ("full_date", "a full date, which could be a date of birth")
NHS_NUMBER = ("nhs_number", "an NHS number")
POSTCODE = ("postcode", "a postcode")
PHONE = ("phone_number", "a phone number")
EMAIL = ("email", "an email address")

_B = r"(?<![^\W_])"
_E = r"(?![^\W_])"

# 10 digits, together or spaced (or hyphenated) 3-3-4 the same way throughout.
NHS = re.compile(r"(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])")

# The UK postcode format (outward code, inward code); the inward letters never use C I K M O V.
POSTCODE_RE = re.compile(
    rf"{_B}(?:[A-Z]{{1,2}}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{{2}}{_E}", re.IGNORECASE
)

# A UK number: 0 or +44 (or 0044, or +44 (0)), then 10 national digits (9 for a few areas),
# grouped the ways people write them. An area code may sit in brackets: (0113) 496 0000.
_SEP = r"\)?[\s-]?"
_NATIONAL = "|".join(
    [
        rf"\d{{4}}{_SEP}\d{{3}}[\s-]?\d{{3}}",  # 7700 900 123
        rf"\d{{4}}{_SEP}\d{{6}}",  # 7700 900123, 1632 960001
        rf"\d{{3}}{_SEP}\d{{3}}[\s-]?\d{{4}}",  # 113 496 0000
        rf"\d{{2}}{_SEP}\d{{4}}[\s-]?\d{{4}}",  # 20 7946 0000
        rf"\d{{4}}{_SEP}\d{{5}}",  # 16977 2345 style, 9 digits
        r"\d{10}",
    ]
)
PHONE_RE = re.compile(rf"(?<![\w+])(?:(?:\+|00)44\s?(?:\(0\)\s?)?|\(?0)(?:{_NATIONAL})(?![\d])")

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit is right."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone_valid(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0044"):
        national = digits[4:]
    elif digits.startswith("44") and "+" in text:
        national = digits[2:]
    else:
        national = digits[1:]
    if national.startswith("0"):  # the "(0)" of +44 (0)113
        national = national[1:]
    return len(national) in (9, 10) and national[0] in "12378"


def find_patterns(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, label, start, end) for each identifying pattern in `text`."""
    for start, end, _day in find_dates(text):
        yield (*FULL_DATE, start, end)
    for m in NHS.finditer(text):
        if nhs_number_valid(m.group(1) + m.group(3) + m.group(4)):
            yield (*NHS_NUMBER, m.start(), m.end())
    for m in POSTCODE_RE.finditer(text):
        yield (*POSTCODE, m.start(), m.end())
    for m in PHONE_RE.finditer(text):
        if _phone_valid(m.group()):
            yield (*PHONE, m.start(), m.end())
    for m in EMAIL_RE.finditer(text):
        yield (*EMAIL, m.start(), m.end())
