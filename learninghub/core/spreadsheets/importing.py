"""The import engine: an app's `Importer` says what a row holds; the core reads, checks and
applies a whole file in one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.models import AuditEvent

from .reading import Table

# Parsers: each takes the cell's text (never empty: an empty cell is None, or "Enter ..." when
# the field is required) and returns the value or raises ValueError with a message for people.


def parse_text(value: str) -> str:
    return value.strip()


def text_up_to(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if len(value) > max_length:
            raise ValueError(f"Must be {max_length} characters or fewer")
        return value

    return parse


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def parse_date(value: str) -> date:
    """ISO (what .xlsx date cells become), dd/mm/yyyy or "3 June 2025"."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text):
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Must be a real date, like 27/03/2025")


def parse_int(value: str) -> int:
    text = value.strip().replace(",", "")
    try:
        return int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
    except ValueError:
        raise ValueError("Must be a whole number, like 12") from None


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def parse_bool(value: str) -> bool:
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("Must be Yes or No")


def choice_of(choices) -> Callable[[str], Any]:
    """A value from Django choices, matched by its stored value or its label, any case.

    Given a `TextChoices` class the value is its member (so pages show its label); given a
    list of (value, label) pairs, the stored value."""
    members = list(choices) if hasattr(choices, "choices") else None
    pairs = choices.choices if members is not None else list(choices)
    lookup = {}
    for index, (value, label) in enumerate(pairs):
        found = members[index] if members is not None else value
        lookup[str(value).casefold()] = found
        lookup[str(label).casefold()] = found
    allowed = ", ".join(str(label) for _, label in pairs)

    def parse(text: str):
        try:
            return lookup[text.strip().casefold()]
        except KeyError:
            raise ValueError(f"Must be one of: {allowed}") from None

    return parse


@dataclass(frozen=True)
class ImportField:
    """One thing a row holds. `aliases` are other headings a tracker might use for it."""

    name: str
    label: str
    required: bool = False
    parse: Callable[[str], Any] = parse_text
    aliases: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class RowError:
    """A problem in the file: its spreadsheet row (None for the file as a whole), the column
    heading (or the field's label when no column was chosen for it) and what is wrong."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, " if self.row is not None else ""
        return f"{where}{self.column}: {self.message}"


class ImportRefused(ValidationError):
    """The file has problems (or the app's `apply` refused it): nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([str(e) for e in errors])


class Importer:
    """What an app subclasses and registers. Instances are registered, not classes."""

    name: ClassVar[str]  # in the URL: /import/<name>/
    title: ClassVar[str]  # "Case tracker", shown on every step
    permission: ClassVar[str]  # a rules permission, checked against the partnership
    fields: ClassVar[list[ImportField]]
    description: ClassVar[str] = ""  # a sentence on the upload page
    done_url: ClassVar[str] = ""  # where the result page sends people next (optional)
    # The fields `key` reads, to name their columns when a row repeats a key (else the first).
    key_fields: ClassVar[tuple[str, ...]] = ()

    def key(self, row: dict) -> Hashable:
        """A row's natural key: the same key in a second run means the same record."""
        raise NotImplementedError

    def apply(self, rows: list[dict], *, auditor, partnership) -> ImportResult:
        """Create or update one record per row (matched by `key`), leaving a record that
        already holds the row's values untouched; audit each change (`auditor.record_many`
        for bulk). Runs inside the import's transaction: raise `ValidationError` (or
        `ImportRefused`) to refuse, and nothing is written."""
        raise NotImplementedError

    def field(self, name: str) -> ImportField:
        return next(f for f in self.fields if f.name == name)


# The registry ------------------------------------------------------------------------------

_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _IMPORTERS[importer.name] = importer


def unregister(name: str) -> None:
    _IMPORTERS.pop(name, None)


def get(name: str) -> Importer | None:
    return _IMPORTERS.get(name)


def importers() -> list[Importer]:
    return [_IMPORTERS[name] for name in sorted(_IMPORTERS)]


# Mapping, validation and the run -----------------------------------------------------------


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def guess_mapping(importer: Importer, headers: list[str]) -> dict[str, str | None]:
    """{field name: the heading that seems to hold it, or None}, each heading used once."""
    by_normal = {}
    for header in headers:
        by_normal.setdefault(_normal(header), header)
    mapping: dict[str, str | None] = {}
    used: set[str] = set()
    for f in importer.fields:
        mapping[f.name] = None
        for candidate in (f.name, f.label, *f.aliases):
            header = by_normal.get(_normal(candidate))
            if header is not None and header not in used:
                mapping[f.name] = header
                used.add(header)
                break
    return mapping


def mapping_errors(importer: Importer, headers: list[str], mapping: dict) -> list[RowError]:
    errors = []
    used: dict[str, str] = {}
    for f in importer.fields:
        header = mapping.get(f.name)
        if not header:
            if f.required:
                errors.append(RowError(None, f.label, "Choose the column that holds it"))
            continue
        if header not in headers:
            errors.append(RowError(None, f.label, f"The file has no column “{header}”"))
        elif header in used:
            errors.append(
                RowError(None, f.label, f"“{header}” is already chosen for {used[header]}")
            )
        else:
            used[header] = f.label
    return errors


class Row(dict):
    """One parsed row: its values by field name, and `number`, its row in the spreadsheet
    (so that an app's `apply` can name the row of a record its services refuse)."""

    number: int | None = None


@dataclass
class Checked:
    """A checked file: the parsed rows with their spreadsheet row numbers, and every error."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0  # rows in the file

    @property
    def parsed(self) -> list[dict]:
        return [values for _, values in self.rows]


def check(importer: Importer, table: Table, mapping: dict) -> Checked:
    checked = Checked(total=len(table.rows))
    checked.errors = mapping_errors(importer, table.headers, mapping)
    if checked.errors:
        return checked
    positions = {
        f.name: table.headers.index(mapping[f.name]) for f in importer.fields if mapping.get(f.name)
    }
    first_seen: dict[Hashable, int] = {}
    for number, cells in zip(table.numbers, table.rows, strict=True):
        values, ok = Row(), True
        values.number = number
        for f in importer.fields:
            position = positions.get(f.name)
            text = cells[position].strip() if position is not None else ""
            column = mapping.get(f.name) or f.label
            if not text:
                if f.required:
                    checked.errors.append(RowError(number, column, f"Enter {f.label.lower()}"))
                    ok = False
                values[f.name] = None
                continue
            try:
                values[f.name] = f.parse(text)
            except ValueError as exc:
                checked.errors.append(RowError(number, column, str(exc) or "Not a valid value"))
                ok = False
        if not ok:
            continue
        key = importer.key(values)
        if key in first_seen:
            named = importer.key_fields or (importer.fields[0].name,)
            column = ", ".join(mapping.get(name) or importer.field(name).label for name in named)
            checked.errors.append(
                RowError(number, column, f"Repeats row {first_seen[key]}: the same record twice")
            )
            continue
        first_seen[key] = number
        checked.rows.append((number, values))
    return checked


def validate(importer: Importer, table: Table, mapping: dict) -> tuple[list[dict], list[RowError]]:
    """The rows parsed by the importer's fields, and every problem (rows with a problem are
    left out of the parsed rows)."""
    checked = check(importer, table, mapping)
    return checked.parsed, checked.errors


def run(importer: Importer, table: Table, mapping: dict, *, auditor, partnership) -> ImportResult:
    """Validate, then apply every row in one transaction with one summary audit event.

    Raises `ImportRefused` when the file has any problem, or the app's `ValidationError`
    from `apply`: either way nothing is written.
    """
    rows, errors = validate(importer, table, mapping)
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        result = importer.apply(rows, auditor=auditor, partnership=partnership)
        auditor.record(
            AuditEvent.Kind.ACTION,
            action=f"{importer.name}.import",
            summary=(
                f"Imported {importer.title.lower()}: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            ),
            changes={
                "created": [None, result.created],
                "updated": [None, result.updated],
                "unchanged": [None, result.unchanged],
            },
            partnership_id=partnership.pk,
        )
    return result
