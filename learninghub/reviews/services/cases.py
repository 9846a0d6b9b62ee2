"""Opening a case, changing it, and its identifying details."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent

from ..models import Case, CaseIdentifiers

CASE_FIELDS = ["reference", "pseudonym", "age_band", "sex", "ethnicity", "cdop_reference"]


@transaction.atomic
def case_open(
    *,
    auditor: Auditor,
    partnership,
    reference: str,
    pseudonym: str,
    age_band: str,
    sex: str,
    ethnicity: str,
    agencies: Iterable = (),
    themes: Iterable = (),
    cdop_reference: str = "",
) -> Case:
    reference = reference.strip().upper()
    if Case.objects.filter(partnership=partnership, reference__iexact=reference).exists():
        raise ValidationError(
            {"reference": f"A case with the reference {reference} already exists"}
        )
    agencies = list(agencies)
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies in this partnership"})
    case = Case.objects.create(
        partnership=partnership,
        reference=reference,
        pseudonym=pseudonym.strip(),
        age_band=age_band,
        sex=sex,
        ethnicity=ethnicity,
        cdop_reference=cdop_reference.strip(),
    )
    case.agencies.set(agencies)
    case.themes.set(themes)
    auditor.created(
        case, action="reviews.case.open", summary=f"Opened case {reference}", fields=CASE_FIELDS
    )
    return case


@transaction.atomic
def case_update(
    *, auditor: Auditor, case: Case, agencies: Iterable, themes: Iterable, **fields
) -> Case:
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
    auditor.updated(
        case,
        action="reviews.case.update",
        summary=f"Changed case {case.reference}",
        before=event_before,
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
def identifiers_update(*, auditor: Auditor, case: Case, **values: str) -> CaseIdentifiers:
    identifiers, _ = CaseIdentifiers.objects.select_for_update().get_or_create(case=case)
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
        summary=f"Changed identifying details of case {case.reference}",
        obj=identifiers,
        changes={name: ["", ""] for name in changed},
        secret_fields=IDENTIFIER_FIELDS,
        partnership_id=case.partnership_id,
    )
    return identifiers
