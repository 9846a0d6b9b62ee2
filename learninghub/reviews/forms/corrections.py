"""Putting mistakes right: a review's kind changed with a reason; a case recorded in error."""

from __future__ import annotations

from django import forms

from ..models import ReviewKind
from .stages import StageForm


def _reason(label: str, help_text: str = "") -> forms.CharField:
    # Required by the service, which reports every refusal at once.
    return forms.CharField(label=label, help_text=help_text, widget=forms.Textarea, required=False)


class ReviewKindForm(StageForm):
    kind = forms.ChoiceField(
        label="What kind of review should this be?",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        required=False,  # the service asks for it, with the reason, in one go
    )
    reason = _reason(
        "Why is the kind of review changing?",
        help_text="This is kept in the case's history",
    )


class RecordedInErrorForm(StageForm):
    reason = _reason(
        "Why was this case recorded in error?",
        help_text="For example, a duplicate of another case, or not a notifiable incident",
    )


class ReopenForm(StageForm):
    reason = _reason("Why is this case being reopened?")
