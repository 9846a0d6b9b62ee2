"""Forms for the practice review's forward plan: milestones and revised publication dates.

Parsing only: whether a date makes sense (not in the future, not before the decision) is
the services' business.
"""

from __future__ import annotations

from django import forms

from .stages import StageForm, _date


class MilestoneForm(StageForm):
    """The case team records both dates; the independent reviewer only what happened."""

    planned_on = _date("Planned date", help_text="For example, 27 3 2026. It may be in the future")
    actual_on = _date("Date it happened", help_text="Leave empty until it has happened")

    def __init__(self, *args, may_plan: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_plan:
            del self.fields["planned_on"]


class MilestoneAddForm(StageForm):
    title = forms.CharField(
        label="What is the milestone?",
        max_length=200,
        help_text="For example, family meeting or panel of experts",
        error_messages={
            "required": "Enter what the milestone is, for example 'Family meeting'",
            "max_length": "The milestone must be 200 characters or fewer",
        },
    )
    planned_on = _date("Planned date", help_text="It may be in the future")


class MilestoneRemoveForm(StageForm):
    confirm = forms.BooleanField(
        label="Yes, remove this milestone",
        error_messages={"required": "Confirm that you want to remove the milestone"},
    )


class PublicationRevisionForm(StageForm):
    revised_date = _date(
        "Revised publication date",
        required=True,
        missing="Enter the revised publication date",
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="For example, the criminal trial moved. It is kept with the date's history",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason the publication date changed"},
    )
    panel_told_on = _date("Date the Panel was told")
