"""What a new case starts from: the partnership's reference pattern and the next reference."""

from __future__ import annotations

import re
import string
from datetime import date

from django.http import Http404

from ..models import DEFAULT_REFERENCE_PATTERN, Case, Child, ReviewSettings

PLACEHOLDERS = ("short", "year", "seq")


def reference_pattern(*, partnership) -> str:
    """The partnership's pattern for new case references (the default until it sets one)."""
    found = ReviewSettings.objects.filter(partnership=partnership).first()
    return found.reference_pattern if found else DEFAULT_REFERENCE_PATTERN


def _fill(pattern: str, *, short: str, year: int, seq: int) -> str:
    return pattern.format(short=short, year=year, seq=f"{seq:03d}").strip().upper()


def _seq_regex(pattern: str, *, short: str, year: int) -> re.Pattern:
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal.upper()))
        if field == "seq":
            parts.append(r"(\d+)")
        elif field == "short":
            parts.append(re.escape(short.upper()))
        elif field == "year":
            parts.append(str(year))
    return re.compile("".join(parts), re.IGNORECASE)


def next_reference(*, partnership, aware_date: date | None, pattern: str | None = None) -> str:
    """The next case reference: {short}, {year} (of becoming aware) and {seq}, the number after
    the highest already used that year (three digits), skipping any reference taken."""
    pattern = pattern or reference_pattern(partnership=partnership)
    year = (aware_date or date.today()).year
    short = partnership.short_name
    used = {
        r.upper()
        for r in Case.objects.filter(partnership=partnership).values_list("reference", flat=True)
    }
    regex = _seq_regex(pattern, short=short, year=year)
    numbers = [int(m.group(1)) for r in used if (m := regex.fullmatch(r))]
    seq = max(numbers, default=0) + 1
    while _fill(pattern, short=short, year=year, seq=seq) in used:
        seq += 1
    return _fill(pattern, short=short, year=year, seq=seq)


def child_for(*, case: Case, child_pk: int) -> Child:
    """A child named in this case (404 for any other)."""
    child = (
        Child.objects.filter(case=case, pk=child_pk).select_related("case", "identifiers").first()
    )
    if child is None:
        raise Http404
    return child


def case_children(*, case: Case) -> list[Child]:
    return list(Child.objects.filter(case=case).order_by("position"))


def children_identifiers(*, case: Case) -> list[tuple[Child, object]]:
    """Each child of the case with their identifying details (None where not recorded).

    Call only after checking `reviews.view_identifiers` on the case."""
    children = (
        Child.objects.filter(case=case).select_related("case", "identifiers").order_by("position")
    )
    return [(c, getattr(c, "identifiers", None)) for c in children]
