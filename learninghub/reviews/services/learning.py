"""The learning a review leaves: its findings and recommendations."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor

from ..models import Case, Finding, Recommendation
from ._checks import _raise


@transaction.atomic
def finding_add(*, auditor: Auditor, case: Case, text: str, themes: Iterable = ()) -> Finding:
    if not text.strip():
        raise ValidationError({"text": "Enter the finding"})
    finding = Finding.objects.create(case=case, text=text.strip())
    finding.themes.set(themes)
    auditor.created(
        finding,
        action="reviews.finding.create",
        summary=f"Added a finding to {case.reference}",
        fields=["text"],
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
) -> Recommendation:
    agencies = list(agencies)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter the recommendation"
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
    auditor.created(
        recommendation,
        action="reviews.recommendation.create",
        summary=f"Added a recommendation to {case.reference}",
        fields=["text", "to_partnership"],
    )
    return recommendation
