"""The anonymity check: nothing published may identify the child or family.

    from learninghub.core import anonymity

    identifiers = anonymity.identifiers_from(case.identifiers)  # or [Identifier(...), ...]
    for match in anonymity.find_identifying(text, identifiers):
        anonymity.describe(match)  # 'It contains "Amelia" (the child's name)'

- `find_identifying(text, identifiers)`: the case's identifiers (names and each part of them,
  lists of family names, the address, its street line and postcode, the date of birth in any
  written form, the school) and the patterns that identify anyone (full dates, NHS numbers,
  postcodes, phone numbers, email addresses), as `Match`es in order of position.
- `check_texts({field: text}, identifiers)`, `check_filename(name, identifiers)`.
- `text_of_file(data, filename)`: the text of a PDF, .docx, .txt or .csv, or None.
- `forms.AnonymityCheckedForm`: the form mixin (errors, and an override with a reason);
  `audit.audit_override(...)`: the audit event for an override (kinds and labels, never the
  identifying text). Template: `core/_anonymity_override.jinja`.
"""

from __future__ import annotations

from .files import text_of_file
from .matching import (
    IDENTIFIER_LABELS,
    Identifier,
    Match,
    check_filename,
    check_texts,
    describe,
    find_identifying,
    identifiers_from,
    quoted,
)

__all__ = [
    "IDENTIFIER_LABELS",
    "Identifier",
    "Match",
    "check_filename",
    "check_texts",
    "describe",
    "find_identifying",
    "identifiers_from",
    "quoted",
    "text_of_file",
]
