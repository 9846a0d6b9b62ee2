"""Forms for API tokens. Messages follow the GOV.UK style guide."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import DEFAULT_DAYS, NAME_MAX_LENGTH, ApiToken

# The page offers a few lengths; operators can choose any up to models.MAX_DAYS.
EXPIRY_DAYS = (30, 90, 180, 365)


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
    scope = forms.ChoiceField(
        label="What can the token do?",
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        help_text="Choose read only unless the script needs to change records",
        error_messages={
            "required": "Select whether the token can only read, or read and write",
            "invalid_choice": "Select whether the token can only read, or read and write",
        },
    )
    days = forms.TypedChoiceField(
        label="When should the token expire?",
        coerce=int,
        initial=DEFAULT_DAYS,
        widget=forms.RadioSelect,
        help_text="It stops working then, and you can create a new one",
        error_messages={
            "required": "Select when the token should expire",
            "invalid_choice": "Select when the token should expire",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["days"].choices = [
            (days, f"In {days} days ({today + timedelta(days=days):%-d %B %Y})")
            for days in EXPIRY_DAYS
        ]


class RevokeForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, revoke this token",
        error_messages={"required": "Confirm that you want to revoke this token"},
    )
