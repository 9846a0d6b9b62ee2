"""A partnership's own settings for case reviews: the pattern of new case references."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot

from ..models import ReviewSettings

PLACEHOLDERS = ("short", "year", "seq")
PATTERN_MAX = 60
REFERENCE_MAX = 40


def pattern_errors(pattern: str) -> str | None:
    """Why a reference pattern cannot be used, or None."""
    if not pattern:
        return "Enter the reference pattern, for example {short}-{year}-{seq}"
    if len(pattern) > PATTERN_MAX:
        return f"The reference pattern must be {PATTERN_MAX} characters or fewer"
    try:
        fields = [f for _lit, f, _spec, _conv in string.Formatter().parse(pattern)]
    except ValueError:
        return "Write each placeholder in curly brackets, for example {seq}"
    unknown = sorted({f for f in fields if f is not None and f not in PLACEHOLDERS})
    if unknown:
        return f"{{{unknown[0]}}} is not a placeholder: use only {{short}}, {{year}} and {{seq}}"
    if "seq" not in fields:
        return "The reference pattern must contain {seq}, the number of the case that year"
    if any(spec for _lit, f, spec, _conv in string.Formatter().parse(pattern) if f):
        return "Write placeholders without formatting, for example {seq}"
    example = pattern.format(short="X" * 20, year=2025, seq="999")
    if len(example) > REFERENCE_MAX:
        return f"References made from the pattern must be {REFERENCE_MAX} characters or fewer"
    return None


@transaction.atomic
def review_settings_update(*, auditor: Auditor, partnership, reference_pattern: str):
    """Set how the partnership's new case references are made."""
    pattern = (reference_pattern or "").strip()
    problem = pattern_errors(pattern)
    if problem:
        raise ValidationError({"reference_pattern": problem})
    found, created = ReviewSettings.objects.select_for_update().get_or_create(
        partnership=partnership
    )
    before = snapshot(found, ["reference_pattern"])
    if created:
        before = {"reference_pattern": ""}
    found.reference_pattern = pattern
    found.save()
    auditor.updated(
        found,
        action="reviews.settings.update",
        summary=f"Changed the case reference pattern to {pattern}",
        before=before,
    )
    return found
