"""How a case begins: recording the notification, naming the incident's children (one to four).

One transaction opens the case, names its children and records the notification, so the
clocks start at once and the case shows in needs attention; the rest of the case's details
(agencies, themes, CDOP reference, identifying details) can follow.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.anonymity.audit import audit_override
from learninghub.core.audit.auditor import Auditor

from ..models import AgeBand, CareStatus, Case, Child, Ethnicity, Sex
from .cases import _children_errors, case_open, child_add, child_update
from .notification import _validate_notification, notification_record

_CHILD_CHOICES = [
    ("age_band", AgeBand, "Select the age of child {n}"),
    ("sex", Sex, "Select the sex of child {n}"),
    ("ethnicity", Ethnicity, "Select the ethnic group of child {n}, or Not known"),
]


def children_errors(children: list[dict]) -> dict[str, str]:
    """Every child's refusals, keyed by the child's own field (child_2_sex)."""
    errors = _children_errors(children)
    for number, child in enumerate(children, start=1):
        for field, choices, message in _CHILD_CHOICES:
            if child.get(field) not in choices.values:
                errors.setdefault(f"child_{number}_{field}", message.format(n=number))
    return errors


def _errors_of(error: ValidationError) -> dict[str, str]:
    return {field: errors[0].messages[0] for field, errors in error.error_dict.items()}


def _notification(aware_date, incident_date, child_died, seriously_harmed, abuse, care_status):
    return {
        "aware_date": aware_date,
        "incident_date": incident_date,
        "child_died": bool(child_died),
        "seriously_harmed": bool(seriously_harmed),
        "abuse_or_neglect_suspected": bool(abuse),
        "care_status": care_status or CareStatus.NEITHER,
    }


def notification_open_errors(
    *,
    partnership,
    reference: str,
    aware_date: date | None,
    children: list[dict],
    child_died: bool = False,
    seriously_harmed: bool = False,
    abuse_or_neglect_suspected: bool = False,
    care_status: str = CareStatus.NEITHER,
    incident_date: date | None = None,
    pseudonym: str = "",
) -> dict[str, str]:
    """Every refusal of `notification_open`, keyed by field (a page shows them all at once,
    even beside its own date errors)."""
    notification = _notification(
        aware_date,
        incident_date,
        child_died,
        seriously_harmed,
        abuse_or_neglect_suspected,
        care_status,
    )
    errors: dict[str, str] = {}
    if aware_date is None:
        errors["aware_date"] = "Enter the date the local authority became aware"
    if notification["care_status"] not in CareStatus.values:
        errors["care_status"] = "Select whether the child was looked after or a care leaver"
    try:
        _validate_notification(notification)
    except ValidationError as error:
        for field, message in _errors_of(error).items():
            errors.setdefault(field, message)
    for field, message in children_errors(children).items():
        errors.setdefault(field, message)
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = "Enter the case reference"
    elif Case.objects.filter(partnership=partnership, reference__iexact=reference).exists():
        errors["reference"] = (
            f"A case with the reference {reference.upper()} already exists: give another"
        )
    return errors


@transaction.atomic
def notification_open(
    *,
    auditor: Auditor,
    partnership,
    reference: str,
    aware_date: date | None,
    children: list[dict],
    child_died: bool = False,
    seriously_harmed: bool = False,
    abuse_or_neglect_suspected: bool = False,
    care_status: str = CareStatus.NEITHER,
    incident_date: date | None = None,
    pseudonym: str = "",
    agencies=(),
    themes=(),
    cdop_reference: str = "",
    anonymity_matches=None,
    anonymity_reason: str = "",
) -> Case:
    """Open a case from its notification, naming its children: every refusal at once, and
    nothing saved unless all of it is. The clocks start at once."""
    errors = notification_open_errors(
        partnership=partnership,
        reference=reference,
        aware_date=aware_date,
        children=children,
        child_died=child_died,
        seriously_harmed=seriously_harmed,
        abuse_or_neglect_suspected=abuse_or_neglect_suspected,
        care_status=care_status,
        incident_date=incident_date,
        pseudonym=pseudonym,
    )
    if errors:
        raise ValidationError(errors)
    case = case_open(
        auditor=auditor,
        partnership=partnership,
        reference=reference,
        children=children,
        pseudonym=pseudonym,
        agencies=agencies,
        themes=themes,
        cdop_reference=cdop_reference,
    )
    notification_record(
        auditor=auditor,
        case=case,
        **_notification(
            aware_date,
            incident_date,
            child_died,
            seriously_harmed,
            abuse_or_neglect_suspected,
            care_status,
        ),
    )
    _audit_override(
        auditor,
        case,
        anonymity_matches,
        anonymity_reason,
        summary=f"Opened case {case.reference} despite the anonymity check",
    )
    return case


@transaction.atomic
def child_add_checked(
    *, auditor: Auditor, case: Case, anonymity_matches=None, anonymity_reason: str = "", **values
) -> Child:
    """Name another child of the incident (`child_add`), with any anonymity override audited."""
    child = child_add(auditor=auditor, case=case, **values)
    _audit_override(auditor, child, anonymity_matches, anonymity_reason)
    return child


@transaction.atomic
def child_change(
    *, auditor: Auditor, child: Child, anonymity_matches=None, anonymity_reason: str = "", **values
) -> Child:
    """Change a child's pseudonym or details (`child_update`), with any override audited."""
    child = child_update(auditor=auditor, child=child, **values)
    _audit_override(auditor, child, anonymity_matches, anonymity_reason)
    return child


def _audit_override(auditor: Auditor, obj, matches, reason: str, **summary) -> None:
    """A pseudonym saved despite the anonymity check (the form took the reason): audited."""
    if matches and reason:
        audit_override(auditor, obj, matches, reason, **summary)
