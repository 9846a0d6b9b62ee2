"""The GOV.UK date input: day, month and year boxes, with the Design System's error messages."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from learninghub.core.forms import GovukDateField, GovukDateWidget


class DecisionForm(forms.Form):
    decided_on = GovukDateField(label="Date of the decision")


class OptionalDateForm(forms.Form):
    published_on = GovukDateField(label="Date published", required=False)


def parts(day="", month="", year="", name="decided_on") -> dict:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def errors_for(data: dict) -> list[str]:
    form = DecisionForm(data)
    assert not form.is_valid()
    return form.errors["decided_on"]


def test_a_real_date_is_accepted():
    form = DecisionForm(parts("19", "12", "2025"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decided_on"] == date(2025, 12, 19)


def test_spaces_and_leading_zeros_are_forgiven():
    form = DecisionForm(parts(" 09 ", "02 ", " 2024"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decided_on"] == date(2024, 2, 9)


def test_a_leap_day_is_real_in_a_leap_year():
    assert DecisionForm(parts("29", "2", "2024")).is_valid()
    assert errors_for(parts("29", "2", "2025")) == ["The date must be a real date"]


@pytest.mark.parametrize(
    "data",
    [
        parts("", "12", "2025"),
        parts("19", "", "2025"),
        parts("19", "12", ""),
        parts("19", "", ""),
    ],
)
def test_a_missing_part(data):
    assert errors_for(data) == ["The date must include a day, month and year"]


@pytest.mark.parametrize(
    "data",
    [
        parts("31", "2", "2025"),
        parts("32", "1", "2025"),
        parts("1", "13", "2025"),
        parts("0", "1", "2025"),
        parts("1", "1", "25"),  # a two-digit year is not a real year here
        parts("first", "1", "2025"),
        parts("1", "January", "2025"),
        parts("1", "1", "10000"),
        parts("1", "1", "1000000000000"),  # overflows the C date type: must not be a 500
        parts("99999999999999999999", "1", "2025"),
        parts("-1", "1", "2025"),
    ],
)
def test_an_impossible_date(data):
    assert errors_for(data) == ["The date must be a real date"]


def test_a_required_date_left_empty():
    assert errors_for(parts()) == ["Enter a date"]
    assert errors_for({}) == ["Enter a date"]
    assert errors_for(parts(" ", " ", " ")) == ["Enter a date"]


def test_an_optional_date_left_empty_is_none():
    form = OptionalDateForm(parts(name="published_on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published_on"] is None


def test_an_optional_date_still_checks_what_was_typed():
    form = OptionalDateForm(parts("31", "2", "2025", name="published_on"))
    assert not form.is_valid()
    assert form.errors["published_on"] == ["The date must be a real date"]


def test_a_field_can_word_its_own_messages():
    class Form(forms.Form):
        decided_on = GovukDateField(error_messages={"required": "Enter the date of the decision"})

    form = Form(parts())
    assert not form.is_valid()
    assert form.errors["decided_on"] == ["Enter the date of the decision"]


def test_the_widget_reads_and_shows_three_boxes():
    widget = GovukDateWidget()
    assert widget.value_from_datadict(parts("1", "2", "2026"), {}, "decided_on") == [
        "1",
        "2",
        "2026",
    ]
    shown = widget.parts("decided_on", date(2026, 3, 7))
    assert [(p.name, p.label, p.value) for p in shown] == [
        ("decided_on_day", "Day", "7"),
        ("decided_on_month", "Month", "3"),
        ("decided_on_year", "Year", "2026"),
    ]
    # What the person typed is shown back to them after an error, not lost.
    again = widget.parts("decided_on", ["31", "2", "2025"])
    assert [p.value for p in again] == ["31", "2", "2025"]
    assert [p.value for p in widget.parts("decided_on", None)] == ["", "", ""]


def test_the_bound_field_shows_back_what_was_typed():
    form = DecisionForm(parts("31", "2", "2025"))
    form.is_valid()
    assert form["decided_on"].value() == ["31", "2", "2025"]
