"""Forms for the statutory stages: notification, rapid review and practice review.

The forms only parse what was typed. Whether the dates make sense together (in order, not
in the future, guards between stages) is the services' business, so a rule lives in one
place and the API refuses the same things as these pages.
"""

from __future__ import annotations

from django import forms

from learninghub.core import calendar
from learninghub.core.forms import GovukDateField

from .. import stages
from ..models import Decision, Methodology, PanelResponse, ReviewKind

SERIOUS_HARM = (
    "Serious harm includes serious or long-term impairment of physical or mental health, or "
    "of intellectual, emotional, social or behavioural development. It may be harm the child "
    "recovers from, even from a single incident."
)


def _date(label: str, *, required: bool = False, help_text: str = "", missing: str = ""):
    messages = {"required": missing} if missing else {}
    return GovukDateField(
        label=label, required=required, help_text=help_text, error_messages=messages
    )


def _text(label: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea, strip=True
    )


def _radios(label: str, choices, *, required: bool = False, missing: str = ""):
    messages = {"required": missing} if missing else {}
    return forms.ChoiceField(
        label=label,
        choices=[("", "Not recorded"), *choices],
        required=required,
        widget=forms.RadioSelect,
        error_messages=messages,
    )


class StageForm(forms.Form):
    """A stage form: what the service's error keys are called on this form."""

    # Service field name → form field name, where the form asks the question differently.
    service_fields: dict[str, str] = {}

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# Notification ---------------------------------------------------------------------------


class NotificationForm(StageForm):
    incident_date = _date(
        "Date of the incident", required=True, missing="Enter the date of the incident"
    )
    aware_date = _date(
        "Date the local authority became aware",
        required=True,
        missing="Enter the date the local authority became aware",
        help_text="The 5 working day clock to notify the Panel starts here",
    )
    what_happened = forms.MultipleChoiceField(
        label="What happened to the child?",
        choices=[
            ("died", "The child died"),
            ("seriously_harmed", "The child was seriously harmed"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=SERIOUS_HARM,
    )
    abuse_or_neglect_suspected = forms.BooleanField(
        label="Abuse or neglect is known or suspected", required=False
    )
    looked_after_or_care_leaver = forms.BooleanField(
        label="The child was looked after, or a care leaver up to and including age 24",
        required=False,
        help_text="This adds notifications to the Secretary of State and Ofsted",
    )
    sent_to_panel_on = _date("Date sent to the Panel")
    sent_to_ofsted_on = _date("Date sent to Ofsted")
    sent_to_secretary_of_state_on = _date("Date sent to the Secretary of State")
    panel_reference = forms.CharField(label="Panel reference", required=False, max_length=60)

    service_fields = {"child_died": "what_happened", "seriously_harmed": "what_happened"}

    @classmethod
    def initial_for(cls, notification) -> dict:
        if notification is None:
            return {}
        initial = {
            name: getattr(notification, name) for name in cls.base_fields if name != "what_happened"
        }
        initial["what_happened"] = [
            value
            for value, chosen in (
                ("died", notification.child_died),
                ("seriously_harmed", notification.seriously_harmed),
            )
            if chosen
        ]
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        happened = data.pop("what_happened")
        data["child_died"] = "died" in happened
        data["seriously_harmed"] = "seriously_harmed" in happened
        return data


# Rapid review ---------------------------------------------------------------------------


class RapidReviewForm(StageForm):
    meeting_date = _date("Date of the rapid review meeting")
    partners_signed_off_on = _date("Date the safeguarding partners signed it off")
    decision = _radios("Decision", Decision.choices)
    decision_reasons = _text("Reasons for the decision")
    sent_to_panel_on = _date("Date sent to the Panel")
    panel_response = _radios("Response", PanelResponse.choices)
    panel_response_notes = _text(
        "Notes on the Panel's response", help_text="Needed when the Panel challenges the decision"
    )
    panel_response_on = _date("Date of the Panel's response")

    @classmethod
    def initial_for(cls, rapid_review) -> dict:
        if rapid_review is None:
            return {}
        return {name: getattr(rapid_review, name) for name in cls.base_fields}


class InformationRequestForm(StageForm):
    agency = forms.ChoiceField(
        label="Agency",
        error_messages={
            "required": "Select the agency to ask",
            "invalid_choice": "Select an agency that has not been asked yet",
        },
    )
    requested_on = _date("Date requested", required=True, missing="Enter the date requested")
    due_on = _date("Date the summary is due")

    def __init__(self, *args, agencies, default_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (str(a.pk), a.name) for a in agencies
        ]
        if default_due is not None:
            self.fields[
                "due_on"
            ].help_text = f"Leave blank for day 10: {calendar.format_date(default_due)}"

    def clean_agency(self):
        return self._agencies[self.cleaned_data["agency"]]


class InformationRequestReturnForm(StageForm):
    returned_on = _date(
        "Date the summary was returned",
        required=True,
        missing="Enter the date the summary was returned",
    )
    file = forms.FileField(
        label="The agency's summary (optional)",
        required=False,
        widget=forms.FileInput,
        help_text="A PDF or Word document (.pdf, .docx or .doc)",
    )


# Practice review ------------------------------------------------------------------------


class PracticeReviewStartForm(StageForm):
    kind = forms.ChoiceField(
        label="Type of review",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    decision_date = _date(
        "Date of the decision to hold the review",
        required=True,
        missing="Enter the date of the decision to hold the review",
        help_text="The review is published within 6 months of this date",
    )

    @classmethod
    def initial_for(cls, rapid_review) -> dict:
        if rapid_review is None:
            return {}
        return {"kind": stages.review_kind_for(rapid_review)}


class PracticeReviewForm(StageForm):
    independent_reviewer = forms.ChoiceField(label="Independent reviewer", required=False)
    methodology = _radios("Methodology", Methodology.choices)
    terms_of_reference = _text("Terms of reference")
    terms_agreed_on = _date("Date the terms of reference were agreed")
    practitioner_event_on = _date("Date of the practitioner event")
    draft_received_on = _date("Date the draft report was received")
    partners_approved_on = _date("Date the safeguarding partners approved the final report")
    planned_publication_on = _date("Planned publication date")
    sent_to_panel_on = _date("Date sent to the Panel and the Secretary of State")
    published_on = _date("Publication date")
    publication_override_reason = _text(
        "Reason for publishing less than 7 working days after sending to the Panel",
        help_text="Only needed when publishing sooner. It is recorded in the audit log",
    )

    def __init__(self, *args, reviewers, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers = list(reviewers)
        # A reviewer who has since left the role stays selectable until someone is chosen
        # in their place, so saving other changes does not silently drop them.
        if current is not None and current not in reviewers:
            reviewers.append(current)
        self._reviewers = {str(r.pk): r for r in reviewers}
        self.fields["independent_reviewer"].choices = [("", "Not yet appointed")] + [
            (str(r.pk), r.full_name or r.email) for r in reviewers
        ]

    @classmethod
    def initial_for(cls, review) -> dict:
        initial = {name: getattr(review, name) for name in cls.base_fields}
        initial["independent_reviewer"] = str(review.independent_reviewer_id or "")
        return initial

    def clean_independent_reviewer(self):
        value = self.cleaned_data.get("independent_reviewer")
        if not value:
            return None
        if value not in self._reviewers:
            raise forms.ValidationError("Choose an independent reviewer from the list")
        return self._reviewers[value]


class PracticeReviewHoldForm(StageForm):
    reason = _text(
        "Reason for the hold",
        help_text="For example, the criminal trial the review waits for. It is shown with the "
        "publication deadline",
    )
    started_on = _date(
        "Date the hold started", required=True, missing="Enter the date the hold started"
    )
    panel_told_on = _date("Date the Panel was told")


class PracticeReviewReleaseHoldForm(StageForm):
    confirm = forms.BooleanField(
        label="Yes, release the hold and restart the publication clock",
        error_messages={"required": "Confirm that you want to release the hold"},
    )


class PracticeReviewNotPublishingForm(StageForm):
    reasons = _text("Reasons for not publishing")
    reasons_sent_on = _date("Date the reasons were sent to the Panel and the Secretary of State")
