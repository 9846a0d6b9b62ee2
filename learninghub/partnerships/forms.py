"""Forms for partnerships, people and accounts. Messages follow the GOV.UK style guide."""

from __future__ import annotations

from django import forms

from learninghub.core.permissions import Role

from .models import AgencyType


class AgencyForm(forms.Form):
    name = forms.CharField(
        label="Agency name", max_length=200, error_messages={"required": "Enter the agency's name"}
    )
    agency_type = forms.ChoiceField(
        label="Type of agency",
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of agency"},
    )


class AgencyEditForm(AgencyForm):
    is_active = forms.BooleanField(
        label="This agency still takes part in the partnership", required=False
    )


def _agency_choices(agencies) -> list[tuple[str, str]]:
    return [("", "No agency")] + [(str(a.pk), a.name) for a in agencies]


class _AgencyChoiceMixin:
    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = _agency_choices(agencies)

    def clean_agency(self):
        value = self.cleaned_data.get("agency")
        return self._agencies.get(value) if value else None


class InvitationForm(_AgencyChoiceMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text=(
            "The business unit and case review group see restricted case material, including "
            "identifying details; they and independent reviewers use two-factor authentication. "
            "An independent reviewer sees only the review they are named on."
        ),
        error_messages={"required": "Select a role"},
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        help_text="Needed for agency leads and practitioners",
    )


class MembershipForm(_AgencyChoiceMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    agency = forms.ChoiceField(label="Agency", required=False)


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password"},
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class ConfirmationResendForm(PasswordResetRequestForm):
    """The address someone registered with, to send its confirmation link again."""


class ConfirmEmailForm(forms.Form):
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="The password you created when you registered",
        error_messages={"required": "Enter the password you created when you registered"},
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
        error_messages={"required": "Enter the security code"},
    )


class SetupTokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        max_length=10,
        help_text="Enter the 6-digit code your app shows for this service",
        error_messages={"required": "Enter the 6-digit code from your app"},
    )


class RecoveryCodesForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="We ask for it again before making new codes",
        error_messages={"required": "Enter your password"},
    )


class PasswordFields(forms.Form):
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="At least 12 characters. A few unrelated words together make a strong password",
        error_messages={"required": "Create a password"},
    )


class InvitationAcceptForm(PasswordFields):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    field_order = ["full_name", "password"]


class RegistrationForm(PasswordFields):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    partnership = forms.ChoiceField(
        label="Safeguarding partnership", error_messages={"required": "Select your partnership"}
    )
    agency = forms.ChoiceField(
        label="Agency you work for",
        help_text="Choose the agency in the partnership you selected",
        error_messages={"required": "Select the agency you work for"},
    )
    field_order = ["full_name", "email", "partnership", "agency", "password"]

    def __init__(self, *args, partnerships, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["partnership"].choices = [("", "Choose a partnership")] + [
            (str(p.pk), p.name) for p in partnerships
        ]
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (str(a.pk), f"{a.name} ({a.partnership.short_name})") for a in agencies
        ]

    def clean(self):
        data = super().clean()
        agency = self._agencies.get(data.get("agency") or "")
        if (
            agency is not None
            and data.get("partnership")
            and str(agency.partnership_id) != data["partnership"]
        ):
            self.add_error("agency", "Choose an agency in the partnership you selected")
        data["agency"] = agency
        return data


class PartnershipChoiceForm(forms.Form):
    """Which of one's own partnerships to work in; any other answer is an error."""

    partnership = forms.ChoiceField(
        label="Which partnership are you working in?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the partnership you are working in",
            "invalid_choice": "Select one of your partnerships",
        },
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [
            (str(m.partnership_id), f"{m.partnership.name} ({Role(m.role).label})")
            for m in memberships
        ]
