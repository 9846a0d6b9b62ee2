"""The guards every stage shares: dates not in the future, not before an earlier step,
and one `ValidationError` keyed by form field for all of a form's refusals."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from learninghub.core import calendar


def _fmt(d: date) -> str:
    return calendar.format_date(d)


def _not_future(errors: dict, field: str, value: date | None, label: str) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(field, f"{label} must be today or in the past")


def _not_before(errors: dict, field: str, value: date | None, earlier: date | None, message: str):
    if value and earlier and value < earlier:
        errors.setdefault(field, message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
