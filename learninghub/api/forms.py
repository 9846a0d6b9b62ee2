"""Forms for API tokens. Messages follow the GOV.UK style guide."""

from __future__ import annotations

from django import forms

from .services import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=NAME_MAX_LENGTH,
        help_text="So you can tell your tokens apart, for example ‘Action plan spreadsheet’",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Token name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )


class RevokeForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, revoke this token",
        error_messages={"required": "Confirm that you want to revoke this token"},
    )
