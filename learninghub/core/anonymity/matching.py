"""Finding what could identify a child or family in a piece of text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .dates import find_dates, parse_date
from .patterns import POSTCODE_RE, find_patterns

# The labels of the case identifiers record's fields, as the messages say them.
IDENTIFIER_LABELS = {
    "child_name": "the child's name",
    "family_names": "a family member's name",
    "date_of_birth": "the child's date of birth",
    "address": "the family's address",
    "school": "the child's school",
}

# Parts of a name that are everyday words: a name still matches in full, but these alone do
# not (so "Will Smith" flags "Smith" and "Will Smith", never every "will").
_COMMON_WORDS = (
    "the and von van der den del della mac may june april august will mark grace hope joy "
    "faith rose summer dawn page hill wood young king baby child mother father mum dad brother "
    "sister son daughter aunt uncle nan gran grandmother grandfather stepfather stepmother "
    "carer partner sibling half step mrs miss mr ms dr"
)
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
FLAT = re.compile(r"^(?:flat|apartment|apt|unit|room|suite|floor)\b", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"[,;\n]+")
PARENTHESES = re.compile(r"\([^)]*\)")
APOSTROPHES = re.compile(r"\\?['’]")
WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Identifier:
    """Something that identifies this child or family: kind "child_name", label "the child's
    name", value "Amelia Jones"."""

    kind: str
    label: str
    value: str


@dataclass(frozen=True)
class Match:
    """Where identifying text was found: the text as it appears, and its place in the text."""

    kind: str
    label: str
    text: str
    start: int
    end: int


def describe(match: Match) -> str:
    """'It contains "Amelia" (the child's name)'."""
    return f"It contains {quoted(match)}"


def quoted(match: Match) -> str:
    return f'"{" ".join(match.text.split())}" ({match.label})'


def identifiers_from(record, labels: dict[str, str] | None = None) -> list[Identifier]:
    """Identifiers from a record or mapping with child_name, family_names, date_of_birth,
    address and school (the case's identifiers record); blank values are left out."""
    labels = labels or IDENTIFIER_LABELS
    found = []
    for kind, label in labels.items():
        value = record.get(kind) if isinstance(record, dict) else getattr(record, kind, None)
        if isinstance(value, date):
            value = value.isoformat()
        if value and str(value).strip():
            found.append(Identifier(kind, label, str(value)))
    return found


# Turning an identifier into the phrases to look for ------------------------------------


def _phrase(value: str) -> re.Pattern | None:
    """`value`'s words, in order, on word boundaries, whatever separates them."""
    words = WORDS.findall(value)
    if not words:
        return None
    # O'Brien matches O’Brien: either apostrophe, whichever the value was typed with.
    body = r"[\W_]+".join(APOSTROPHES.sub("['’]", re.escape(w)) for w in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def _is_name_kind(kind: str) -> bool:
    return "name" in kind


def _entries(identifier: Identifier) -> list[str]:
    """A list of names ("Sarah Jones (mother); Tom Jones") is checked entry by entry."""
    if _is_name_kind(identifier.kind):
        return [e for e in LIST_SEPARATORS.split(identifier.value) if e.strip()]
    return [identifier.value]


def _name_phrases(entry: str) -> list[str]:
    entry = PARENTHESES.sub(" ", entry)
    if ":" in entry:  # "Mother: Sarah Jones"
        entry = entry.rsplit(":", 1)[1]
    words = WORDS.findall(entry)
    if not words:
        return []
    # "Sarah Jones, mother" is two entries: the second is no name.
    phrases = [" ".join(words)] if len(words) > 1 or words[0].lower() not in COMMON_WORDS else []
    if len(words) > 1:
        phrases += [
            w for w in words if sum(c.isalpha() for c in w) >= 3 and w.lower() not in COMMON_WORDS
        ]
    return phrases


def _address_phrases(value: str) -> list[str]:
    lines = [line.strip() for line in LIST_SEPARATORS.split(value) if line.strip()]
    phrases = [value]
    if lines:
        parts, rest = [lines[0]], lines[1:]
        # "12, High Street" or "Flat 3, 12 High Street": the street line is the whole of it,
        # and "12 High Street" on its own too.
        while rest and (parts[-1].replace(" ", "").isdigit() or FLAT.match(parts[-1])):
            parts.append(rest.pop(0))
        phrases += [" ".join(parts), parts[-1]]
    phrases += [m.group() for m in POSTCODE_RE.finditer(value)]
    return phrases


def _school_phrases(value: str) -> list[str]:
    phrases = [value]
    shorter = re.sub(r"\s+school\s*$", "", value.strip(), flags=re.IGNORECASE)
    if shorter != value.strip() and len(WORDS.findall(shorter)) >= 2:
        phrases.append(shorter)
    return phrases


def _phrases(identifier: Identifier) -> list[str]:
    phrases: list[str] = []
    for entry in _entries(identifier):
        if _is_name_kind(identifier.kind):
            phrases += _name_phrases(entry)
        elif identifier.kind == "address":
            phrases += _address_phrases(entry)
        elif identifier.kind == "school":
            phrases += _school_phrases(entry)
        else:
            phrases.append(entry)
    return phrases


# Finding ----------------------------------------------------------------------------------


def _identifier_matches(text: str, identifier: Identifier) -> Iterator[Match]:
    day = parse_date(identifier.value) if "date" in identifier.kind else None
    if day is not None:
        for start, end, found in find_dates(text):
            if found == day:
                yield Match(identifier.kind, identifier.label, text[start:end], start, end)
        return
    seen = set()
    for phrase in _phrases(identifier):
        pattern = _phrase(phrase)
        if pattern is None or pattern.pattern in seen:
            continue
        seen.add(pattern.pattern)
        for m in pattern.finditer(text):
            yield Match(identifier.kind, identifier.label, m.group(), m.start(), m.end())


def find_identifying(text: str, identifiers: Iterable[Identifier] = ()) -> list[Match]:
    """Everything in `text` that could identify the child or family, in order of position.

    The case's identifiers (names and their parts, the address and its street line and
    postcode, the date of birth however it is written, the school) come first; then the
    patterns that identify anyone (full dates, NHS numbers, postcodes, phone numbers, email
    addresses). Where two overlap, the longer is kept (an identifier over a pattern of the same
    length), so "Amelia Jones" is one match, not three.
    """
    if not text:
        return []
    candidates: list[tuple[Match, int]] = []
    for identifier in identifiers:
        if identifier.value and identifier.value.strip():
            candidates += [(m, 0) for m in _identifier_matches(text, identifier)]
    candidates += [
        (Match(kind, label, text[start:end], start, end), 1)
        for kind, label, start, end in find_patterns(text)
    ]
    return _merge(candidates)


def _merge(candidates: list[tuple[Match, int]]) -> list[Match]:
    """The longest of any overlapping matches (ties: the lower rank, then the earlier)."""
    chosen: list[Match] = []
    for match, _rank in sorted(candidates, key=lambda c: (c[0].start - c[0].end, c[1], c[0].start)):
        if all(match.end <= kept.start or match.start >= kept.end for kept in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def check_texts(
    fields: dict[str, str], identifiers: Iterable[Identifier] = ()
) -> dict[str, list[Match]]:
    """The matches in each field that has any (a field with none is left out)."""
    identifiers = list(identifiers)
    found = {name: find_identifying(text or "", identifiers) for name, text in fields.items()}
    return {name: matches for name, matches in found.items() if matches}


FILENAME_SEPARATORS = re.compile(r"[_.\-]+")


def check_filename(name: str, identifiers: Iterable[Identifier] = ()) -> list[Match]:
    """Matches in a file's name, read with _ - and . as spaces ("Amelia_Jones_chronology.pdf").

    The matched text and positions are the name's own: the separators are swapped one for one.
    """
    identifiers = list(identifiers)
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    readable = FILENAME_SEPARATORS.sub(lambda m: " " * len(m.group()), base)
    offset = len(name) - len(base)
    # The name as written too: "2015-03-04" and "a.b@example.com" keep their separators.
    found = find_identifying(readable, identifiers) + find_identifying(base, identifiers)
    return [
        Match(m.kind, m.label, base[m.start : m.end], m.start + offset, m.end + offset)
        for m in _merge([(m, 0) for m in found])
    ]
