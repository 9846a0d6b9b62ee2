"""Forms for agencies' summaries (asking several agencies at once, withdrawing, an agency
lead's upload), the documents page's upload (a new document or a new version of one, the
file's name checked for identifiers) and the independent reviewer's upload."""

from __future__ import annotations

from django import forms
from django.conf import settings

from learninghub.core import calendar
from learninghub.core.anonymity.forms import AnonymityCheckedForm
from learninghub.core.files.checks import size_label
from learninghub.core.forms import GovukDateField

from ..models import Stage

NEW = "new"


def _file(required_message: str) -> forms.FileField:
    field = forms.FileField(
        label="File",
        max_length=200,
        widget=forms.FileInput,
        error_messages={
            "required": required_message,
            "empty": "The selected file is empty",
            "max_length": "The file name must be 200 characters or fewer",
        },
    )
    return field


def _size_hint(form) -> None:
    # Worked out per form, not at import: the limit is a setting.
    limit = size_label(settings.MAX_UPLOAD_SIZE)
    form.fields["file"].help_text = f"PDF or Word document, up to {limit}"


class InformationRequestsForm(forms.Form):
    service_fields: dict[str, str] = {}
    agencies = forms.MultipleChoiceField(
        label="Which agencies are asked?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one agency to ask",
            "invalid_choice": "Select agencies that have not been asked yet",
        },
    )
    details = forms.CharField(
        label="What is asked",
        widget=forms.Textarea,
        max_length=5000,
        help_text="Each agency lead sees this with the request. Never include the child's name",
        error_messages={"required": "Enter what is asked of the agencies"},
    )
    requested_on = GovukDateField(
        label="Date requested", error_messages={"required": "Enter the date requested"}
    )
    due_on = GovukDateField(label="Date the summaries are due", required=False)

    def __init__(self, *args, agencies, default_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["agencies"].choices = [(str(a.pk), a.name) for a in agencies]
        if default_due is not None:
            self.fields[
                "due_on"
            ].help_text = f"Leave blank for day 10: {calendar.format_date(default_due)}"

    def clean_agencies(self):
        return [self._agencies[pk] for pk in self.cleaned_data["agencies"]]


class WithdrawRequestForm(forms.Form):
    service_fields: dict[str, str] = {}
    reason = forms.CharField(
        label="Why is the request withdrawn?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example, the agency had no involvement with the family",
        error_messages={"required": "Enter why the request is withdrawn"},
    )


class AgencySummaryForm(AnonymityCheckedForm, forms.Form):
    anonymity_file_fields = ("file",)

    file = _file("Choose the agency's summary file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _size_hint(self)


class CaseDocumentForm(AnonymityCheckedForm, forms.Form):
    """A case document: a new one, or a new version of one already here."""

    anonymity_file_fields = ("file",)

    version_of = forms.ChoiceField(
        label="Is this a new version of a document already here?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether this is a new document or a new version",
            "invalid_choice": "Select a document of this case",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For a new document. For example, Terms of reference",
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        help_text="For a new document. The independent reviewer sees the practice review "
        "stage's documents, and the documents you share with them",
    )
    file = _file("Select a file to upload")
    field_order = ["version_of", "title", "stage", "file"]

    def __init__(self, *args, documents=(), stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        _size_hint(self)
        self._documents = {str(d.pk): d for d in documents}
        self.fields["version_of"].choices = [(NEW, "A new document")] + [
            (str(d.pk), f"A new version of {d.title}") for d in documents
        ]
        # Left blank, it is a new document (the page checks "A new document" to begin with).
        self.fields["version_of"].required = False
        if stages is None:
            stages = [c for c in Stage.choices if c[0] != Stage.AGENCY_SUMMARY]
        self.fields["stage"].choices = [("", "Choose a stage"), *stages]

    def clean(self):
        data = super().clean()
        chosen = data.get("version_of") or NEW
        data["document"] = self._documents.get(chosen)
        if chosen == NEW:
            if not (data.get("title") or "").strip() and "title" not in self.errors:
                self.add_error("title", "Enter a title for the document")
            if not data.get("stage") and "stage" not in self.errors:
                self.add_error("stage", "Select the stage the document belongs to")
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        document = data["document"]
        return {
            "document": document,
            "title": document.title if document else data["title"],
            "stage": document.stage if document else data["stage"],
            "file": data["file"],
        }


REVIEWER_STAGES = [
    (Stage.DRAFT_REPORT.value, "A draft report"),
    (Stage.FINAL_REPORT.value, "The final report"),
]


class ReviewerDocumentForm(CaseDocumentForm):
    """The independent reviewer's upload: a draft or the final report, or a new version."""

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, documents=documents, stages=REVIEWER_STAGES, **kwargs)
        self.fields["stage"].label = "Is it a draft or the final report?"
        self.fields["stage"].widget = forms.RadioSelect()
        self.fields["stage"].choices = REVIEWER_STAGES
        self.fields["stage"].help_text = "For a new document"
        self.fields["title"].help_text = "For a new document. For example, Draft report 1"


class DocumentVersionCheckedForm(AnonymityCheckedForm, forms.Form):
    """A new version of one document: its file's name checked like any other upload."""

    anonymity_file_fields = ("file",)

    file = _file("Select a file to upload")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _size_hint(self)
