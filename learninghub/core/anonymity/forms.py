"""The anonymity check on any form: errors naming what was found, or an override with a reason.

    class FindingForm(AnonymityCheckedForm, forms.Form):
        anonymity_fields = ("text",)
        anonymity_file_fields = ("file",)  # optional: the uploaded file's name
        anonymity_file_contents = True  # optional: and the text inside it (PDF, Word, text)

    form = FindingForm(request.POST or None, identifiers=anonymity.identifiers_from(record))

When something may identify the child or family, each field it is in gets an error listing
every match, and the override fields (`anonymity_override`, `anonymity_override_reason`) are
revealed (`core/_anonymity_override.jinja`, shown when `form.anonymity_matches`). Ticked with
a reason, the form is valid and `form.anonymity_override_used` is True: the view passes
`form.anonymity_matches` and the reason to its service, which calls `audit.audit_override`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from .files import text_of_file
from .matching import Identifier, Match, check_filename, find_identifying, quoted

OVERRIDE = "anonymity_override"
REASON = "anonymity_override_reason"
MAX_FILE_READ = 50 * 1024 * 1024

OVERRIDE_LABEL = "I have checked, and this does not identify the child or family"
REASON_LABEL = "Why this can be published as it is"
REASON_HINT = (
    "For example, the name is of a professional, or the date is not about the child. "
    "Your reason is recorded in the audit log"
)
REASON_REQUIRED = (
    "Enter why this can be published as it is, in the reason box, or remove what may identify "
    "the child or family"
)


def _distinct(matches: Iterable[Match]) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    for match in matches:
        key = (" ".join(match.text.lower().split()), match.label)
        seen.setdefault(key, quoted(match))
    return list(seen.values())


def _listed(matches: Iterable[Match]) -> str:
    """'"Amelia" (the child's name), "LS1 4AB" (a postcode) and ...', each once."""
    items = _distinct(matches)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def matches_message(matches: Iterable[Match], *, what: str = "It") -> str:
    return (
        f"{what} may identify the child or family. {what} contains {_listed(matches)}. "
        "Remove it, or tick the box to say it does not identify them and give a reason"
    )


class AnonymityCheckedForm:
    """Mix in before `forms.Form` or `forms.ModelForm`; pass `identifiers=` when building it."""

    anonymity_fields: tuple[str, ...] = ()
    anonymity_file_fields: tuple[str, ...] = ()
    anonymity_file_contents: bool = False

    def __init__(self, *args, identifiers: Iterable[Identifier] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.identifiers = list(identifiers)
        self.anonymity_matches: dict[str, list[Match]] = {}
        self.anonymity_override_used = False
        self.anonymity_unread_files: list[str] = []  # names whose contents could not be read
        self.fields[OVERRIDE] = forms.BooleanField(label=OVERRIDE_LABEL, required=False)
        self.fields[REASON] = forms.CharField(
            label=REASON_LABEL,
            help_text=REASON_HINT,
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": "The reason must be 2000 characters or fewer"},
        )

    @property
    def anonymity_match_list(self) -> list[Match]:
        return [m for found in self.anonymity_matches.values() for m in found]

    @property
    def anonymity_found(self) -> list[str]:
        """What was found, each once, as the page lists it: '"Amelia" (the child's name)'."""
        return _distinct(self.anonymity_match_list)

    @property
    def anonymity_reason(self) -> str:
        """The override's reason, once the form is valid ("" when there is none)."""
        return (getattr(self, "cleaned_data", {}).get(REASON) or "").strip()

    def _anonymity_check(self, data: dict) -> dict[str, list[Match]]:
        found: dict[str, list[Match]] = {}
        for name in self.anonymity_fields:
            value = data.get(name)
            if isinstance(value, str) and value.strip():
                matches = find_identifying(value, self.identifiers)
                if matches:
                    found[name] = matches
        for name in self.anonymity_file_fields:
            upload = data.get(name)
            if not getattr(upload, "name", None):
                continue
            matches = check_filename(upload.name, self.identifiers)
            if self.anonymity_file_contents:
                matches += self._file_matches(upload)
            if matches:
                found[name] = matches
        return found

    def _file_matches(self, upload) -> list[Match]:
        try:
            upload.seek(0)
            data = upload.read(MAX_FILE_READ + 1)
            upload.seek(0)
        except (OSError, ValueError):
            data = b""
        text = text_of_file(data, upload.name) if len(data) <= MAX_FILE_READ else None
        if text is None:
            self.anonymity_unread_files.append(upload.name)
            return []
        return find_identifying(text, self.identifiers)

    def clean(self):
        data = super().clean()
        self.anonymity_matches = self._anonymity_check(data)
        self.anonymity_override_used = False
        if not self.anonymity_matches:
            return data
        if data.get(OVERRIDE):
            if (data.get(REASON) or "").strip():
                self.anonymity_override_used = True
            elif REASON not in self.errors:
                self.add_error(REASON, REASON_REQUIRED)
            return data
        for name, matches in self.anonymity_matches.items():
            is_file = name in self.anonymity_file_fields
            self.add_error(name, matches_message(matches, what="The file" if is_file else "It"))
        return data
