"""Form pieces shared by every app: the GOV.UK date input, and the one error style."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render


@dataclass(frozen=True)
class DatePart:
    name: str
    suffix: str
    label: str
    value: str


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def parts(self, name: str, value) -> list[DatePart]:
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        values = [(v or "") for v in value] + ["", "", ""]
        return [
            DatePart(f"{name}_{suffix}", suffix, suffix.title(), str(values[i]))
            for i, suffix in enumerate(("day", "month", "year"))
        ]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{suffix}", "").strip() for suffix in ("day", "month", "year")]


class GovukDateField(forms.Field):
    widget = GovukDateWidget

    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "The date must include a day, month and year",
        "invalid": "The date must be a real date",
    }

    def to_python(self, value):
        if not value or not any(value):
            return None
        if not all(value):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(v) for v in value)
            if year < 1900:
                raise ValueError
            return date(year, month, day)
        except (ValueError, OverflowError) as exc:  # a 13-digit "year" overflows, not a 500
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form so the error summary shows it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, I want to do this",
        error_messages={"required": "Confirm that you want to do this"},
    )


def confirm_then(
    request,
    *,
    do: Callable[[], object],
    success: str,
    next_url: str,
    template: str,
    context: dict,
    form_class: type[forms.Form] = ConfirmForm,
) -> HttpResponse:
    """A page that asks "are you sure?", then calls one service: the one way to do that."""
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            do()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url)
    return render(request, template, {**context, "form": form})
