"""Opening a case, changing it, and its identifying details."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent

from ..models import MAX_CHILDREN, Case, CaseIdentifiers, Child
from . import _anonymity

CASE_FIELDS = ["reference", "pseudonym", "cdop_reference"]
CHILD_FIELDS = ["pseudonym", "age_band", "sex", "ethnicity"]


def _children_errors(children: list[dict]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not children:
        errors["children"] = "Name at least one child (by pseudonym)"
    elif len(children) > MAX_CHILDREN:
        errors["children"] = f"A notification names at most {MAX_CHILDREN} children"
    seen: set[str] = set()
    for number, child in enumerate(children, start=1):
        name = (child.get("pseudonym") or "").strip()
        if not name:
            errors[f"child_{number}_pseudonym"] = f"Enter a pseudonym for child {number}"
        elif name.lower() in seen:
            errors[f"child_{number}_pseudonym"] = (
                f"Child {number} has the same pseudonym as another child: give each their own"
            )
        seen.add(name.lower())
    return errors


def _new_child(auditor: Auditor, case: Case, *, position: int, data: dict) -> Child:
    child = Child.objects.create(
        case=case,
        position=position,
        pseudonym=data["pseudonym"].strip(),
        age_band=data["age_band"],
        sex=data["sex"],
        ethnicity=data["ethnicity"],
    )
    auditor.created(
        child,
        action="reviews.child.add",
        summary=f"Named {child.pseudonym} in case {case.reference}",
        fields=CHILD_FIELDS,
    )
    return child


def _create_children(auditor: Auditor, case: Case, children: list[dict]) -> list[Child]:
    made = [
        _new_child(auditor, case, position=number, data=data)
        for number, data in enumerate(children, start=1)
    ]
    return made


@transaction.atomic
def case_open(
    *,
    auditor: Auditor,
    partnership,
    reference: str,
    children: list[dict],
    pseudonym: str = "",
    agencies: Iterable = (),
    themes: Iterable = (),
    cdop_reference: str = "",
) -> Case:
    """Open a case for one incident, naming its children (one to four). The case goes by
    `pseudonym`, or by its children's pseudonyms joined ("Child B and Child C")."""
    reference = reference.strip().upper()
    errors = _children_errors(children)
    if Case.objects.filter(partnership=partnership, reference__iexact=reference).exists():
        errors["reference"] = f"A case with the reference {reference} already exists"
    agencies = list(agencies)
    if any(a.partnership_id != partnership.pk for a in agencies):
        errors["agencies"] = "Choose agencies in this partnership"
    if errors:
        raise ValidationError(errors)
    case = Case.objects.create(
        partnership=partnership,
        reference=reference,
        pseudonym=pseudonym.strip() or case_name(children),
        cdop_reference=cdop_reference.strip(),
    )
    case.agencies.set(agencies)
    case.themes.set(themes)
    auditor.created(
        case, action="reviews.case.open", summary=f"Opened case {reference}", fields=CASE_FIELDS
    )
    _create_children(auditor, case, children)
    return case


def case_name(children: list[dict]) -> str:
    """ "Child A", "Child B and Child C", "Child D, Child E and Child F"."""
    names = [(c.get("pseudonym") or "").strip() for c in children]
    names = [n for n in names if n]
    if len(names) <= 1:
        return names[0] if names else ""
    return f"{', '.join(names[:-1])} and {names[-1]}"[:60]


@transaction.atomic
def case_update(
    *,
    auditor: Auditor,
    case: Case,
    agencies: Iterable,
    themes: Iterable,
    anonymity_override_reason: str = "",
    **fields,
) -> Case:
    """Change the case. A new pseudonym that may identify a child or family (anything from
    their identifying details, or a date, NHS number, postcode, phone number or email address)
    is refused, naming it, unless `anonymity_override_reason` says why it does not."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = snapshot(case, CASE_FIELDS)
    before["agencies"] = ", ".join(sorted(a.name for a in case.agencies.all()))
    before["themes"] = ", ".join(sorted(t.name for t in case.themes.all()))
    reference = fields.get("reference", case.reference).strip().upper()
    clash = Case.objects.filter(partnership_id=case.partnership_id, reference__iexact=reference)
    if clash.exclude(pk=case.pk).exists():
        raise ValidationError(
            {"reference": f"A case with the reference {reference} already exists"}
        )
    agencies = list(agencies)
    if any(a.partnership_id != case.partnership_id for a in agencies):
        raise ValidationError({"agencies": "Choose agencies in this partnership"})
    pseudonym = (fields.get("pseudonym") or "").strip()
    found, errors = _anonymity.check(
        case=case,
        # Only a changed pseudonym is checked: one kept as it was is not asked about again.
        fields={"pseudonym": pseudonym if pseudonym != case.pseudonym else ""},
        reason=anonymity_override_reason,
    )
    if errors:
        raise ValidationError(errors)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(
                case, name, fields[name].strip() if isinstance(fields[name], str) else fields[name]
            )
    case.reference = reference
    case.save()
    case.agencies.set(agencies)
    case.themes.set(themes)
    case.agencies_label = ", ".join(sorted(a.name for a in agencies))
    case.themes_label = ", ".join(sorted(t.name for t in themes))
    after_lists = {"agencies": case.agencies_label, "themes": case.themes_label}
    event_before = {k: before[k] for k in CASE_FIELDS}
    if found:  # The case's name in the log is its pseudonym: these two use its reference.
        case.audit_repr = case.reference
    auditor.updated(
        case,
        action="reviews.case.update",
        summary=f"Changed case {case.reference}",
        before=event_before,
        # Kept out of the audit log when it was saved despite the anonymity check.
        secret_fields=["pseudonym"] if found else (),
    )
    _anonymity.audit(
        auditor,
        case,
        found,
        anonymity_override_reason,
        summary=f"Changed the pseudonym of case {case.reference} despite the anonymity check",
    )
    changed = {k: [before[k], v] for k, v in after_lists.items() if before[k] != v}
    if changed:
        auditor.record(
            AuditEvent.Kind.UPDATE,
            action="reviews.case.update_links",
            summary=f"Changed the agencies or themes of case {case.reference}",
            obj=case,
            changes=changed,
        )
    return case


IDENTIFIER_FIELDS = ["child_name", "family_names", "date_of_birth", "address", "school"]


@transaction.atomic
def child_update(*, auditor: Auditor, child: Child, **values: str) -> Child:
    """Change a child's pseudonym or details."""
    child = Child.objects.select_for_update().select_related("case").get(pk=child.pk)
    pseudonym = (values.get("pseudonym", child.pseudonym) or "").strip()
    if not pseudonym:
        raise ValidationError({"pseudonym": "Enter a pseudonym"})
    clash = Child.objects.filter(case_id=child.case_id, pseudonym__iexact=pseudonym)
    if clash.exclude(pk=child.pk).exists():
        raise ValidationError({"pseudonym": "Another child in this case has that pseudonym"})
    before = snapshot(child, CHILD_FIELDS)
    values["pseudonym"] = pseudonym
    for name in CHILD_FIELDS:
        if name in values:
            setattr(child, name, values[name])
    child.save()
    auditor.updated(
        child,
        action="reviews.child.update",
        summary=f"Changed the details of {child.pseudonym} in case {child.case.reference}",
        before=before,
    )
    return child


@transaction.atomic
def child_add(*, auditor: Auditor, case: Case, **values: str) -> Child:
    """Name another child of the incident (up to four in all)."""
    existing = list(Child.objects.select_for_update().filter(case=case))
    data = [{"pseudonym": c.pseudonym} for c in existing] + [values]
    errors = _children_errors(data)
    if errors:
        message = errors.get("children") or next(iter(errors.values()))
        raise ValidationError({"pseudonym": message})
    position = max((c.position for c in existing), default=0) + 1
    return _new_child(auditor, case, position=position, data=values)


@transaction.atomic
def identifiers_update(*, auditor: Auditor, child: Child, **values: str) -> CaseIdentifiers:
    """Record or change a child's identifying details (encrypted; their values never audited)."""
    case = child.case
    identifiers, _ = CaseIdentifiers.objects.select_for_update().get_or_create(child=child)
    changed = [
        f for f in IDENTIFIER_FIELDS if f in values and getattr(identifiers, f) != values[f].strip()
    ]
    for name in IDENTIFIER_FIELDS:
        if name in values:
            setattr(identifiers, name, values[name].strip())
    identifiers.save()
    # Which details changed is recorded; their values never are.
    auditor.record(
        AuditEvent.Kind.UPDATE,
        action="reviews.identifiers.update",
        summary=f"Changed identifying details of {child.pseudonym} in case {case.reference}",
        obj=identifiers,
        changes={name: ["", ""] for name in changed},
        secret_fields=IDENTIFIER_FIELDS,
        partnership_id=case.partnership_id,
    )
    return identifiers
