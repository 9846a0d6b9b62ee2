"""Forms for the deadline calculator and the timeliness figures. Both only read: no writes."""

from __future__ import annotations

from datetime import date

from django import forms

from learninghub.core import calendar
from learninghub.core.forms import GovukDateField

# Each rule with what it means in plain English (Working Together 2023, chapter 5).
RULE_CHOICES = [
    (
        "notification",
        "Notification to the Panel: 5 working days from the day the local authority "
        "became aware of the serious incident",
    ),
    (
        "looked_after_death",
        "Death of a looked-after child to Ofsted and the Secretary of State: 5 working days "
        "from the day the local authority became aware",
    ),
    (
        "care_leaver_death",
        "Death of a care leaver to Ofsted and the Secretary of State: 5 working days from the "
        "day the local authority became aware",
    ),
    (
        "rapid_review",
        "Rapid review to the Panel: 15 working days from the notification to the Panel",
    ),
    (
        "publication",
        "Publication of a practice review: 6 months from the decision to hold the review",
    ),
    (
        "send_to_panel",
        "Final report to the Panel and the Secretary of State: 7 working days before the "
        "planned publication date",
    ),
]


class DeadlineCalculatorForm(forms.Form):
    rule = forms.ChoiceField(
        label="Which deadline do you want to work out?",
        choices=RULE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the deadline you want to work out"},
    )
    start = GovukDateField(
        label="Start date",
        help_text=(
            "The date the deadline counts from: the day of becoming aware, of the notification, "
            "of the decision, or the planned publication date. For example, 27 3 2025"
        ),
        error_messages={
            "required": "Enter the start date",
            "incomplete": "The start date must include a day, month and year",
            "invalid": "The start date must be a real date",
        },
    )

    def clean(self):
        data = super().clean()
        rule, start = data.get("rule"), data.get("start")
        if rule and start:
            try:
                calendar.due_date(rule, start)
            except (OverflowError, ValueError):
                self.add_error("start", "Enter a start date no later than the year 9998")
        return data

    def result(self) -> dict:
        rule, start = self.cleaned_data["rule"], self.cleaned_data["start"]
        return {
            "label": calendar.get_rule(rule).label,
            "due_date": calendar.due_date(rule, start),
            "description": calendar.describe(rule, start),
        }


def financial_year(today: date) -> tuple[date, date]:
    """1 April to 31 March: the year a partnership's yearly report covers."""
    first_year = today.year if today.month >= 4 else today.year - 1
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


class TimelinessForm(forms.Form):
    date_from = GovukDateField(
        label="From",
        help_text="For example, 1 4 2025",
        error_messages={
            "required": "Enter the start of the period",
            "incomplete": "The start of the period must include a day, month and year",
            "invalid": "The start of the period must be a real date",
        },
    )
    date_to = GovukDateField(
        label="To",
        help_text="For example, 31 3 2026",
        error_messages={
            "required": "Enter the end of the period",
            "incomplete": "The end of the period must include a day, month and year",
            "invalid": "The end of the period must be a real date",
        },
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The end of the period must be the same as or after the start"
            )
        return data
