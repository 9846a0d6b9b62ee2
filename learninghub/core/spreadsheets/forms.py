"""The import's forms: the file, then which column holds each of the importer's fields."""

from __future__ import annotations

from django import forms

from .importing import Importer

NOT_IN_FILE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "A CSV or Excel spreadsheet (.csv or .xlsx) with the column headings in the first row"
        ),
        error_messages={"required": "Select a CSV or Excel file", "empty": "The file is empty"},
    )


class MappingForm(forms.Form):
    """One select per field, listing the file's headings; each heading used at most once."""

    def __init__(self, *args, importer: Importer, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        choices = [(NOT_IN_FILE, "Not in the file"), *((h, h) for h in headers)]
        for f in importer.fields:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label,
                choices=choices,
                required=f.required,
                help_text=f.hint or ("Required" if f.required else "Optional"),
                error_messages={
                    "required": f"Choose the column that holds {f.label.lower()}",
                    "invalid_choice": f"Choose a column from the file for {f.label.lower()}",
                },
            )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for f in self.importer.fields:
            header = cleaned.get(f.name)
            if not header:
                continue
            if header in used:
                self.add_error(f.name, f"“{header}” is already chosen for {used[header].lower()}")
            else:
                used[header] = f.label
        return cleaned

    @property
    def mapping(self) -> dict[str, str | None]:
        return {f.name: self.cleaned_data.get(f.name) or None for f in self.importer.fields}
