"""Slippage recorded against a case's deadline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from learninghub.core.audit.auditor import Auditor

from ..models import Case, Clock, Slippage


@transaction.atomic
def slippage_record(*, auditor: Auditor, case: Case, clock_kind: str, reason: str) -> Slippage:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the slippage"})
    if not Clock.objects.filter(case=case, kind=clock_kind).exists():
        raise ValidationError({"clock_kind": "Choose a deadline this case has"})
    slippage = Slippage.objects.create(
        case=case, clock_kind=clock_kind, reason=reason.strip(), recorded_by=auditor.actor
    )
    auditor.created(
        slippage,
        action="reviews.slippage.create",
        summary=f"Recorded slippage on {case.reference}",
        fields=["clock_kind", "reason"],
    )
    return slippage
