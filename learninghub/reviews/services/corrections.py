"""Putting mistakes right: a practice review started as the wrong kind, and a case recorded
in error. Each correction keeps the record, says why, and is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor, snapshot

from ..models import Case, PracticeReview, ReviewKind
from ._checks import _raise
from .clocks import sync_clocks


@transaction.atomic
def review_kind_change(
    *, auditor: Auditor, review: PracticeReview, kind: str, reason: str
) -> PracticeReview:
    """Change a practice review's kind (local or national) started in error, with the reason.
    The case's clocks are recalculated."""
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = "Select the kind of review"
    elif kind == review.kind:
        errors["kind"] = (
            f"The review is already a {review.get_kind_display().lower()}: select the other kind"
        )
    if not reason:
        errors["reason"] = "Give the reason the kind of review is changing"
    _raise(errors)
    before = snapshot(review, ["kind"])
    previous = review.get_kind_display().lower()
    review.kind = kind
    review.save(update_fields=["kind"])
    auditor.updated(
        review,
        action="reviews.practice_review.kind_change",
        summary=(
            f"Changed the {previous} for {review.case.reference} to a "
            f"{review.get_kind_display().lower()}: {reason}"
        )[:300],
        before=before,
    )
    sync_clocks(review.case)
    return review


@transaction.atomic
def case_recorded_in_error(*, auditor: Auditor, case: Case, reason: str) -> Case:
    """Close a case as recorded in error: kept and audited, but out of every list, clock and
    figure. It stays reachable by its address, with the reason shown."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if case.recorded_in_error_on:
        errors["reason"] = "This case has already been closed as recorded in error"
    elif not reason:
        errors["reason"] = "Give the reason the case was recorded in error"
    _raise(errors)
    before = snapshot(case, ["recorded_in_error_on", "recorded_in_error_reason"])
    case.recorded_in_error_on = timezone.localdate()
    case.recorded_in_error_reason = reason
    case.save(update_fields=["recorded_in_error_on", "recorded_in_error_reason"])
    auditor.updated(
        case,
        action="reviews.case.recorded_in_error",
        summary=f"Closed {case.reference} as recorded in error: {reason}"[:300],
        before=before,
    )
    sync_clocks(case)
    return case


@transaction.atomic
def case_reopen(*, auditor: Auditor, case: Case, reason: str) -> Case:
    """Undo "recorded in error": the case returns to the lists and its clocks come back."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not case.recorded_in_error_on:
        errors["reason"] = "This case is not closed as recorded in error"
    elif not reason:
        errors["reason"] = "Give the reason the case is being reopened"
    _raise(errors)
    before = snapshot(case, ["recorded_in_error_on", "recorded_in_error_reason"])
    case.recorded_in_error_on = None
    case.recorded_in_error_reason = ""
    case.save(update_fields=["recorded_in_error_on", "recorded_in_error_reason"])
    auditor.updated(
        case,
        action="reviews.case.reopened",
        summary=f"Reopened {case.reference}, no longer recorded in error: {reason}"[:300],
        before=before,
    )
    sync_clocks(case)
    return case
