"""Forms for how a case begins (the notification naming its children), a child's details,
and the partnership's case review settings. They only parse; the services decide."""

from __future__ import annotations

from django import forms

from learninghub.core.anonymity.forms import AnonymityCheckedForm
from learninghub.core.forms import GovukDateField

from ..models import MAX_CHILDREN, AgeBand, CareStatus, Ethnicity, Sex
from .stages import SERIOUS_HARM

NEITHER = "neither"  # a radio needs a value: the model's "" (neither)
ADD_CHILD = "add_child"

CARE_STATUS_CHOICES = [
    (NEITHER, "Neither"),
    (CareStatus.LOOKED_AFTER.value, "A looked-after child"),
    (CareStatus.CARE_LEAVER.value, "A care leaver, up to and including age 24"),
]


def _child_fields(prefix: str, who: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}pseudonym": forms.CharField(
            label="Pseudonym",
            max_length=60,
            required=False,
            help_text='Never the child\'s real name. For example, "Child A"',
        ),
        f"{prefix}age_band": forms.ChoiceField(
            label=f"Age of {who}",
            choices=AgeBand.choices,
            widget=forms.RadioSelect,
            required=False,
        ),
        f"{prefix}sex": forms.ChoiceField(
            label=f"Sex of {who}", choices=Sex.choices, widget=forms.RadioSelect, required=False
        ),
        f"{prefix}ethnicity": forms.ChoiceField(
            label=f"Ethnicity of {who}",
            choices=[("", "Choose an ethnic group"), *Ethnicity.choices],
            required=False,
            help_text="The Panel asks for this to understand inequality in serious incidents",
        ),
    }


class NotificationOpenForm(AnonymityCheckedForm, forms.Form):
    """Record a serious incident notification: when the local authority became aware first,
    what happened, then each child (one to four; "Add another child" shows one more)."""

    aware_date = GovukDateField(
        label="When did the local authority become aware of the incident?",
        required=False,
        help_text="The 5 working day clock starts here. For example, 27 3 2025",
    )
    what_happened = forms.MultipleChoiceField(
        label="What happened?",
        choices=[("died", "A child died"), ("seriously_harmed", "A child was seriously harmed")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=SERIOUS_HARM,
    )
    abuse_or_neglect_suspected = forms.BooleanField(
        label="Abuse or neglect is known or suspected", required=False
    )
    care_status = forms.ChoiceField(
        label="Was the child looked after, or a care leaver?",
        choices=CARE_STATUS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "The death of a looked-after child or a care leaver up to and including age 24 is "
            "notified to Ofsted and the Secretary of State within 5 working days, whatever "
            "the cause"
        ),
    )
    incident_date = GovukDateField(label="Date of the incident (optional)", required=False)
    children_shown = forms.IntegerField(
        min_value=1, max_value=MAX_CHILDREN, required=False, widget=forms.HiddenInput
    )
    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        required=False,
        help_text="Made from your partnership's reference pattern. You can change it",
    )
    suggested_reference = forms.CharField(required=False, widget=forms.HiddenInput)
    pseudonym = forms.CharField(
        label="Name the case goes by (optional)",
        max_length=60,
        required=False,
        help_text="Leave it blank to use the children's pseudonyms, for example \"Child B and "
        'Child C"',
    )

    def __init__(self, *args, shown: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            try:
                shown = int(self.data.get("children_shown") or 1)
            except ValueError:
                shown = 1
            shown = max(1, min(MAX_CHILDREN, shown))
            if self.data.get(ADD_CHILD) is not None:
                shown = min(MAX_CHILDREN, shown + 1)
        self.shown = shown
        for number in range(1, MAX_CHILDREN + 1):
            who = "the child" if shown == 1 else f"child {number}"
            self.fields.update(_child_fields(f"child_{number}_", who))
        self.anonymity_fields = (
            "pseudonym",
            *(f"child_{n}_pseudonym" for n in range(1, MAX_CHILDREN + 1)),
        )
        self.initial.setdefault("children_shown", shown)

    @property
    def adding_child(self) -> bool:
        return self.is_bound and self.data.get(ADD_CHILD) is not None

    @property
    def can_add_child(self) -> bool:
        return self.shown < MAX_CHILDREN

    def child_fieldsets(self) -> list[tuple[int, list]]:
        """Each child shown, with their four questions (bound fields)."""
        return [
            (n, [self[f"child_{n}_{f}"] for f in ("pseudonym", "age_band", "sex", "ethnicity")])
            for n in range(1, self.shown + 1)
        ]

    def children(self) -> list[dict]:
        """The children shown; a later child left wholly blank does not count."""
        data = self.cleaned_data
        found = []
        for n in range(1, self.shown + 1):
            child = {
                f: data.get(f"child_{n}_{f}") or ""
                for f in ("pseudonym", "age_band", "sex", "ethnicity")
            }
            if n > 1 and not any(child.values()):
                continue
            found.append(child)
        return found

    def service_data(self) -> dict:
        data = self.cleaned_data
        happened = data.get("what_happened") or []
        return {
            "aware_date": data.get("aware_date"),
            "incident_date": data.get("incident_date"),
            "child_died": "died" in happened,
            "seriously_harmed": "seriously_harmed" in happened,
            "abuse_or_neglect_suspected": bool(data.get("abuse_or_neglect_suspected")),
            "care_status": "" if data.get("care_status") in ("", NEITHER) else data["care_status"],
            "children": self.children(),
            "reference": data.get("reference") or "",
            "pseudonym": data.get("pseudonym") or "",
        }

    # Service error keys that name a question asked differently here.
    service_fields = {"child_died": "what_happened", "seriously_harmed": "what_happened"}


class ChildForm(AnonymityCheckedForm, forms.Form):
    anonymity_fields = ("pseudonym",)

    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=60,
        help_text='Never the child\'s real name. For example, "Child A"',
        error_messages={"required": "Enter a pseudonym for the child"},
    )
    age_band = forms.ChoiceField(
        label="Age of the child",
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's age"},
    )
    sex = forms.ChoiceField(
        label="Sex of the child",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity of the child",
        choices=[("", "Choose an ethnic group"), *Ethnicity.choices],
        help_text="The Panel asks for this to understand inequality in serious incidents",
        error_messages={"required": "Select the child's ethnic group, or Not known"},
    )

    @staticmethod
    def initial_for(child) -> dict:
        return {f: getattr(child, f) for f in ("pseudonym", "age_band", "sex", "ethnicity")}

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("pseudonym", "age_band", "sex", "ethnicity")}


class ReviewSettingsForm(forms.Form):
    reference_pattern = forms.CharField(
        label="Case reference pattern",
        max_length=60,
        help_text=(
            "Use {short} for your partnership's short name, {year} for the year the local "
            "authority became aware, and {seq} for the number of the case that year (001, "
            "002 and so on). For example, {short}-{year}-{seq}"
        ),
        error_messages={
            "required": "Enter the reference pattern, for example {short}-{year}-{seq}",
            "max_length": "The reference pattern must be 60 characters or fewer",
        },
    )
