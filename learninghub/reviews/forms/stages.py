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
    incident_date = _date("Date of the incident")
    aware_date = _date(
        "Date the local authority became aware",
        required=True,
        missing="Enter the date the local authority became aware",
        # Not only the Panel: a looked-after child's or care leaver's death has its own clock.
        help_text="The 5 working day clocks to notify start here",
    )
    what_happened = forms.MultipleChoiceField(
        # As on the notification form: one notification can name up to 4 children.
        label="What happened?",
        choices=[
            ("died", "A child died"),
            ("seriously_harmed", "A child was seriously harmed"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=SERIOUS_HARM,
    )
    abuse_or_neglect_suspected = forms.BooleanField(
        label="Abuse or neglect is known or suspected", required=False
    )
    care_status = forms.ChoiceField(
        label="Was the child looked after, or a care leaver?",
        choices=[
            # A radio needs a value to be shown: "neither" is the model's "".
            ("neither", "Neither"),
            ("looked_after", "A looked-after child"),
            ("care_leaver", "A care leaver, up to and including age 24"),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "The death of a looked-after child or care leaver is notified to Ofsted and the "
            "Secretary of State within 5 working days, whatever the cause"
        ),
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
        initial["care_status"] = notification.care_status or "neither"
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        happened = data.pop("what_happened")
        data["child_died"] = "died" in happened
        data["seriously_harmed"] = "seriously_harmed" in happened
        if data.get("care_status") == "neither":
            data["care_status"] = ""
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
        label="The agency's summary",
        required=False,
        widget=forms.FileInput,
        help_text="A PDF or Word document (.pdf, .docx or .doc)",
    )

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A summary is never recorded as returned with no file: once one is kept, a new file
        # is optional (to change the date returned, or upload a new version).
        self.has_file = has_file
        if has_file:
            self.fields["file"].label = "A new version of the agency's summary (optional)"

    def clean(self):
        data = super().clean()
        if not self.has_file and not data.get("file") and "file" not in self.errors:
            self.add_error("file", "Choose the agency's summary file")
        return data


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

    children = forms.MultipleChoiceField(
        label="Which children does the review cover?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose children named in this case"},
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The incident's children (one to four): the review covers all of them unless the
        # business unit chooses fewer.
        self._children = {str(c.pk): c for c in children}
        self.fields["children"].choices = [(str(c.pk), c.pseudonym) for c in children]
        self.initial.setdefault("children", list(self._children))

    def clean(self):
        data = super().clean()
        if len(self._children) > 1:
            chosen = [self._children[v] for v in data.get("children", []) if v in self._children]
            if not chosen and "children" not in self.errors:
                self.add_error("children", "Select the children the review covers")
            data["children"] = chosen
        else:
            data.pop("children", None)
        return data

    @classmethod
    def initial_for(cls, rapid_review) -> dict:
        if rapid_review is None:
            return {}
        return {"kind": stages.review_kind_for(rapid_review)}


class PracticeReviewForm(StageForm):
    independent_reviewer = forms.ChoiceField(label="Independent reviewer", required=False)
    methodology = _radios("Methodology", Methodology.choices)
    terms_of_reference = _text("Terms of reference")
    planned_publication_on = _date(
        "Planned publication date",
        help_text="To change an agreed date, record a revised publication date instead",
    )
    late_publication_reason = _text(
        "Reason for publishing more than 6 months after the decision",
        help_text="Only needed when the planned publication date is more than 6 months after "
        "the decision",
    )
    sent_to_panel_on = _date("Date sent to the Panel and the Secretary of State")
    published_on = _date("Publication date")
    published_document = forms.ChoiceField(
        label="Published report",
        required=False,
        help_text="The final report as it was published. Upload it as a document of the case first",
    )
    publication_override_reason = _text(
        "Reason for publishing less than 7 working days after sending to the Panel",
        help_text="Only needed when publishing sooner. It is recorded in the audit log",
    )

    def __init__(self, *args, reviewers, current=None, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._reports = {str(d.pk): d for d in reports}
        self.fields["published_document"].choices = [("", "Choose the published report")] + [
            (str(d.pk), d.title) for d in reports
        ]
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
        initial = {
            name: getattr(review, name) for name in cls.base_fields if name != "published_document"
        }
        initial["independent_reviewer"] = str(review.independent_reviewer_id or "")
        return initial

    def clean_published_document(self):
        value = self.cleaned_data.get("published_document")
        if not value:
            return None
        if value not in self._reports:
            raise forms.ValidationError("Choose the published report from the list")
        return self._reports[value]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("published_document") is None:
            data.pop("published_document", None)  # keep the report already recorded
        return data

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
    released_on = _date(
        "Date the hold was released",
        required=True,
        missing="Enter the date the hold was released",
        help_text="For example, the date the trial ended",
    )
    confirm = forms.BooleanField(
        label="Yes, release the hold and restart the publication clock",
        error_messages={"required": "Confirm that you want to release the hold"},
    )

    def service_data(self) -> dict:
        return {"released_on": self.cleaned_data["released_on"]}


class PracticeReviewNotPublishingForm(StageForm):
    reasons = _text("Reasons for not publishing")
    reasons_sent_on = _date("Date the reasons were sent to the Panel and the Secretary of State")
