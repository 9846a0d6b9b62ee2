"""Forms for a case and what is recorded under it. Messages follow the GOV.UK style guide.

Forms turn what was posted into the arguments of one service; the services decide what the
guidance allows.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.anonymity.forms import AnonymityCheckedForm
from learninghub.core.files.checks import size_label
from learninghub.core.forms import GovukDateField

from ..models import Stage

PARTNERSHIP = "partnership"


def _checkbox_choices(objects) -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in objects]


class _PicksObjects:
    """Checkbox fields whose cleaned value is the chosen objects, not their ids."""

    def _objects(self, field: str, lookup: dict) -> list:
        return [lookup[value] for value in self.cleaned_data.get(field, []) if value in lookup]


class CaseForm(_PicksObjects, forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        help_text="For example, NDSCP-2025-003",
        error_messages={"required": "Enter the case reference"},
    )
    pseudonym = forms.CharField(
        label="Name the case goes by",
        max_length=60,
        help_text='Never a real name. For example, "Child A", or "Child B and Child C"',
        error_messages={"required": "Enter the name the case goes by"},
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies involved",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose agencies in this partnership"},
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose themes from the list"},
    )
    cdop_reference = forms.CharField(
        label="CDOP or National Child Mortality Database reference (optional)",
        max_length=60,
        required=False,
        help_text="If the case came through the child death review process",
    )

    def __init__(self, *args, agencies, themes, current_agencies=(), current_themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Agencies and themes no longer in use stay offered where the case already has them,
        # so changing a case never drops them silently.
        current = {a.pk for a in current_agencies}
        agencies = [a for a in agencies if a.is_active or a.pk in current]
        themes = list(themes)
        offered = {t.pk for t in themes}
        themes += [t for t in current_themes if t.pk not in offered]
        self._agencies = {str(a.pk): a for a in agencies}
        self._themes = {str(t.pk): t for t in themes}
        self.fields["agencies"].choices = _checkbox_choices(agencies)
        self.fields["themes"].choices = _checkbox_choices(sorted(themes, key=lambda t: t.name))

    def clean(self):
        data = super().clean()
        data["agencies"] = self._objects("agencies", self._agencies)
        data["themes"] = self._objects("themes", self._themes)
        return data

    @staticmethod
    def initial_for(case) -> dict:
        return {
            "reference": case.reference,
            "pseudonym": case.pseudonym,
            "cdop_reference": case.cdop_reference,
            "agencies": [str(a.pk) for a in case.agencies.all()],
            "themes": [str(t.pk) for t in case.themes.all()],
        }


class CaseEditForm(AnonymityCheckedForm, CaseForm):
    """Changing a case: a changed pseudonym is checked for anything that may identify a child
    or family (pass `identifiers=`); one kept as it was is not asked about again."""

    def clean(self):
        self.anonymity_fields = ("pseudonym",) if "pseudonym" in self.changed_data else ()
        return super().clean()


# Identifying details --------------------------------------------------------------------


def stored_date(text: str) -> date | None:
    """The date of birth is stored encrypted as text (YYYY-MM-DD); None if not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class IdentifiersForm(forms.Form):
    child_name = forms.CharField(label="Child's full name", required=False, max_length=200)
    family_names = forms.CharField(
        label="Names of family members",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Parents, carers and siblings, with their relationship to the child",
    )
    date_of_birth = GovukDateField(label="Child's date of birth", required=False)
    address = forms.CharField(
        label="Address", required=False, max_length=1000, widget=forms.Textarea
    )
    school = forms.CharField(label="School or early years setting", required=False, max_length=200)

    def clean_date_of_birth(self) -> str:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of birth must be today or in the past")
        return value.isoformat() if value else ""

    @staticmethod
    def initial_for(identifiers) -> dict:
        if identifiers is None:
            return {}
        return {
            "child_name": identifiers.child_name,
            "family_names": identifiers.family_names,
            "date_of_birth": stored_date(identifiers.date_of_birth),
            "address": identifiers.address,
            "school": identifiers.school,
        }


# Findings and recommendations -----------------------------------------------------------


class FindingForm(AnonymityCheckedForm, _PicksObjects, forms.Form):
    """A finding, checked for anything that may identify the child or family (pass
    `identifiers=`); the override's reason goes to the service, which audits it."""

    anonymity_fields = ("text",)
    text = forms.CharField(
        label="Finding",
        widget=forms.Textarea,
        max_length=5000,
        help_text="What the review found about how agencies worked together",
        error_messages={"required": "Enter the finding"},
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose themes from the list"},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self._themes = {str(t.pk): t for t in themes}
        self.fields["themes"].choices = _checkbox_choices(themes)

    def clean(self):
        data = super().clean()
        data["themes"] = self._objects("themes", self._themes)
        return data


class RecommendationForm(FindingForm):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the recommendation"},
    )
    # One question: the partnership as a whole and/or named agencies. The service's message
    # about an empty choice is keyed "agencies", so it lands on this field.
    agencies = forms.MultipleChoiceField(
        label="Who is the recommendation addressed to?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Choose the agencies the recommendation is addressed to, "
            "or address it to the partnership",
            "invalid_choice": "Choose agencies in this partnership",
        },
    )
    field_order = ["text", "agencies", "themes"]

    def __init__(self, *args, agencies, themes, **kwargs):
        super().__init__(*args, themes=themes, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["agencies"].choices = [
            (PARTNERSHIP, "The partnership as a whole"),
            *_checkbox_choices(agencies),
        ]

    def clean(self):
        data = super().clean()
        data["to_partnership"] = PARTNERSHIP in data.get("agencies", [])
        data["agencies"] = self._objects("agencies", self._agencies)
        return data


# Documents ------------------------------------------------------------------------------


def _file_field() -> forms.FileField:
    return forms.FileField(
        label="File",
        max_length=200,
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
            "max_length": "The file name must be 200 characters or fewer",
        },
    )


class DocumentVersionForm(forms.Form):
    file = _file_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = size_label(settings.MAX_UPLOAD_SIZE)
        self.fields["file"].help_text = f"PDF or Word document, up to {limit}"


class DocumentForm(DocumentVersionForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Terms of reference",
        error_messages={"required": "Enter a title for the document"},
    )
    # Agency summaries arrive through their information request on the rapid review page.
    stage = forms.ChoiceField(
        label="Stage",
        choices=[c for c in Stage.choices if c[0] != Stage.AGENCY_SUMMARY],
        help_text="The independent reviewer can read the documents of the practice review stage",
        error_messages={"required": "Select the stage the document belongs to"},
    )
    field_order = ["title", "stage", "file"]


# Slippage -------------------------------------------------------------------------------


class SlippageForm(forms.Form):
    clock_kind = forms.ChoiceField(
        label="Which deadline has slipped, or is expected to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the deadline",
            "invalid_choice": "Choose a deadline this case has",
        },
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        max_length=5000,
        help_text="For example, an agency's summary arrived late, or the Panel asked for more",
        error_messages={"required": "Give the reason for the slippage"},
    )

    def __init__(self, *args, clocks, **kwargs):
        super().__init__(*args, **kwargs)
        choices: dict[str, str] = {}
        for clock in clocks:  # soonest first: each kind is labelled with its next date
            if clock.kind not in choices:
                due = calendar.format_date(clock.due_date)
                choices[clock.kind] = f"{clock.get_kind_display()} (due {due})"
        self.fields["clock_kind"].choices = list(choices.items())
