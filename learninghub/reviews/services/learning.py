"""The learning a review leaves: its findings and recommendations."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent

from ..models import Case, Finding, Recommendation
from . import _anonymity
from ._checks import _raise


def _created(auditor: Auditor, obj, *, action: str, summary: str, fields: list, found) -> None:
    """The create event; when the anonymity check was overridden, the text is left out of it
    (the audit log is read more widely than the identifiers are)."""
    if not found:
        auditor.created(obj, action=action, summary=summary, fields=fields)
        return
    # The object's name in the log is its text: name it by its case instead.
    obj.audit_repr = f"{obj._meta.verbose_name.capitalize()} on case {obj.case.reference}"
    auditor.record(
        AuditEvent.Kind.CREATE,
        action=action,
        summary=summary,
        obj=obj,
        changes={f: [None, getattr(obj, f)] for f in fields},
        secret_fields=["text"],
    )


@transaction.atomic
def finding_add(
    *,
    auditor: Auditor,
    case: Case,
    text: str,
    themes: Iterable = (),
    anonymity_override_reason: str = "",
) -> Finding:
    """Add a finding. Anything in it that may identify a child or family is refused, naming
    it, unless `anonymity_override_reason` says why it does not (audited)."""
    if not text.strip():
        raise ValidationError({"text": "Enter the finding"})
    found, errors = _anonymity.check(
        case=case, fields={"text": text}, reason=anonymity_override_reason
    )
    _raise(errors)
    finding = Finding.objects.create(case=case, text=text.strip())
    finding.themes.set(themes)
    summary = f"Added a finding to {case.reference}"
    _created(
        auditor,
        finding,
        action="reviews.finding.create",
        summary=summary,
        fields=["text"],
        found=found,
    )
    _anonymity.audit(
        auditor,
        finding,
        found,
        anonymity_override_reason,
        summary=f"Added a finding to {case.reference} despite the anonymity check",
    )
    return finding


@transaction.atomic
def recommendation_add(
    *,
    auditor: Auditor,
    case: Case,
    text: str,
    to_partnership: bool,
    agencies: Iterable = (),
    themes: Iterable = (),
    anonymity_override_reason: str = "",
) -> Recommendation:
    """Add a recommendation, checked for anything that may identify a child or family as a
    finding is."""
    agencies = list(agencies)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter the recommendation"
    found, anonymity_errors = _anonymity.check(
        case=case, fields={"text": text}, reason=anonymity_override_reason
    )
    errors.update(anonymity_errors)
    if not to_partnership and not agencies:
        errors["agencies"] = (
            "Choose the agencies the recommendation is addressed to, "
            "or address it to the partnership"
        )
    if any(a.partnership_id != case.partnership_id for a in agencies):
        errors["agencies"] = "Choose agencies in this partnership"
    _raise(errors)
    recommendation = Recommendation.objects.create(
        case=case, text=text.strip(), to_partnership=to_partnership
    )
    recommendation.agencies.set(agencies)
    recommendation.themes.set(themes)
    _created(
        auditor,
        recommendation,
        action="reviews.recommendation.create",
        summary=f"Added a recommendation to {case.reference}",
        fields=["text", "to_partnership"],
        found=found,
    )
    _anonymity.audit(
        auditor,
        recommendation,
        found,
        anonymity_override_reason,
        summary=f"Added a recommendation to {case.reference} despite the anonymity check",
    )
    return recommendation
