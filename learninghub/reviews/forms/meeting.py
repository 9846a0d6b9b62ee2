"""The case review group's record of the rapid review meeting."""

from __future__ import annotations

from django import forms

from ..models import Decision
from .stages import StageForm, _date, _radios, _text


class MeetingForm(StageForm):
    # Required by the service, not here: so that a missing date never hides the other
    # refusals (the service reports them all at once).
    meeting_date = _date("Date of the meeting")
    meeting_attendees = forms.CharField(
        label="Who attended",
        help_text="Each person's name, role and agency, one a line",
        required=False,
        widget=forms.Textarea,
    )
    meeting_views = _text(
        "Views given at the meeting",
        help_text="What each agency and the group said about the case and the learning",
    )
    decision = _radios("The decision", Decision.choices)
    decision_reasons = _text(
        "Reasons for the decision", help_text="Needed with a decision: the Panel reads them"
    )

    @classmethod
    def initial_for(cls, rapid_review) -> dict:
        if rapid_review is None:
            return {}
        return {name: getattr(rapid_review, name) for name in cls.base_fields}
