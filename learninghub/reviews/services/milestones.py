"""The practice review's forward plan: milestones with planned and actual dates, revised
publication dates, and the report that was published.

Planned dates may be in the future; actual dates are never in the future and never before
the decision to review. Sending to the Panel and publication stay on the practice review
(they start and stop statutory clocks); the milestones page shows them beside these.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot

from ..models import Milestone, MilestoneKind, PracticeReview, PublicationRevision
from ._checks import _fmt, _not_before, _not_future, _raise
from .clocks import sync_clocks

# The standard milestones every practice review starts with, in the order they happen.
STANDARD_MILESTONES = [
    MilestoneKind.TERMS_AGREED,
    MilestoneKind.PRACTITIONER_EVENT,
    MilestoneKind.DRAFT_TO_PARTNERS,
    MilestoneKind.PARTNERS_SIGN_OFF,
]


def standard_milestones_create(review: PracticeReview) -> list[Milestone]:
    """The four standard milestones, planned dates empty (inside the caller's transaction)."""
    return Milestone.objects.bulk_create(
        Milestone(practice_review=review, kind=kind, title=kind.label, position=position)
        for position, kind in enumerate(STANDARD_MILESTONES, start=1)
    )


def partners_signed_off_on(review) -> date | None:
    """When the partners signed off the final report (the partners' sign-off milestone)."""
    pk = getattr(review, "pk", None) or getattr(review, "id", None)
    if pk is None:
        return None
    return (
        Milestone.objects.filter(
            practice_review_id=pk, kind=MilestoneKind.PARTNERS_SIGN_OFF, actual_on__isnull=False
        )
        .values_list("actual_on", flat=True)
        .first()
    )


def _date_errors(review: PracticeReview, planned_on, actual_on) -> dict[str, str]:
    errors: dict[str, str] = {}
    decision = review.decision_date
    _not_future(errors, "actual_on", actual_on, "The date it happened")
    _not_before(
        errors,
        "actual_on",
        actual_on,
        decision,
        f"The date it happened must be on or after the decision on {_fmt(decision)}",
    )
    _not_before(
        errors,
        "planned_on",
        planned_on,
        decision,
        f"The planned date must be on or after the decision on {_fmt(decision)}",
    )
    return errors


_UNSET = object()


@transaction.atomic
def milestone_update(
    *, auditor: Auditor, milestone: Milestone, planned_on=_UNSET, actual_on=_UNSET
) -> Milestone:
    """Record a milestone's planned date, the date it happened, or both.

    Leave `planned_on` out to keep it (the independent reviewer records only what happened).
    """
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("practice_review__case")
        .get(pk=milestone.pk)
    )
    review = milestone.practice_review
    planned = milestone.planned_on if planned_on is _UNSET else planned_on
    actual = milestone.actual_on if actual_on is _UNSET else actual_on
    _raise(_date_errors(review, planned, actual))
    before = snapshot(milestone, ["planned_on", "actual_on"])
    milestone.planned_on = planned
    milestone.actual_on = actual
    milestone.save(update_fields=["planned_on", "actual_on"])
    auditor.updated(
        milestone,
        action="reviews.milestone.update",
        summary=f"Recorded the milestone {milestone.title!r} for {review.case.reference}",
        before=before,
    )
    return milestone


@transaction.atomic
def milestone_add(
    *,
    auditor: Auditor,
    review: PracticeReview,
    title: str,
    planned_on: date | None = None,
    actual_on: date | None = None,
) -> Milestone:
    """A milestone of the business unit's own, after the others."""
    review = PracticeReview.objects.select_related("case").get(pk=review.pk)
    errors = _date_errors(review, planned_on, actual_on)
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter what the milestone is, for example 'Family meeting'"
    elif len(title) > 200:
        errors["title"] = "The milestone must be 200 characters or fewer"
    _raise(errors)
    last = review.milestones.order_by("-position").values_list("position", flat=True).first()
    milestone = Milestone.objects.create(
        practice_review=review,
        kind=MilestoneKind.OTHER,
        title=title,
        planned_on=planned_on,
        actual_on=actual_on,
        position=(last or 0) + 1,
    )
    auditor.created(
        milestone,
        action="reviews.milestone.create",
        summary=f"Added the milestone {title!r} to {review.case.reference}",
        fields=["title", "planned_on", "actual_on"],
    )
    return milestone


@transaction.atomic
def milestone_remove(*, auditor: Auditor, milestone: Milestone) -> None:
    """Remove a milestone the business unit added; the standard ones stay."""
    milestone = Milestone.objects.select_related("practice_review__case").get(pk=milestone.pk)
    if milestone.kind != MilestoneKind.OTHER:
        _raise({"milestone": "The standard milestones cannot be removed"})
    auditor.deleted(
        milestone,
        action="reviews.milestone.delete",
        summary=(
            f"Removed the milestone {milestone.title!r} from "
            f"{milestone.practice_review.case.reference}"
        ),
    )
    milestone.delete()


@transaction.atomic
def publication_revise(
    *,
    auditor: Auditor,
    review: PracticeReview,
    revised_date: date | None,
    reason: str,
    panel_told_on: date | None = None,
) -> PublicationRevision:
    """A revised publication date, with why and when the Panel was told. The planned
    publication date becomes the revised one; earlier revisions stay as its history."""
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors: dict[str, str] = {}
    if review.published_on:
        errors["revised_date"] = "The review is already published"
    if revised_date is None:
        errors.setdefault("revised_date", "Enter the revised publication date")
    _not_before(
        errors,
        "revised_date",
        revised_date,
        review.decision_date,
        f"The revised date must be after the decision on {_fmt(review.decision_date)}",
    )
    if not (reason or "").strip():
        errors["reason"] = "Give the reason the publication date changed"
    _not_future(errors, "panel_told_on", panel_told_on, "The date the Panel was told")
    _not_before(
        errors,
        "panel_told_on",
        panel_told_on,
        review.decision_date,
        "The Panel is told after the decision to review",
    )
    _raise(errors)
    revision = PublicationRevision.objects.create(
        practice_review=review,
        previous_date=review.planned_publication_on,
        revised_date=revised_date,
        reason=reason.strip(),
        panel_told_on=panel_told_on,
        recorded_by=auditor.actor,
    )
    auditor.created(
        revision,
        action="reviews.practice_review.publication_revised",
        summary=(
            f"Revised the planned publication of {review.case.reference} to {_fmt(revised_date)}"
        ),
        fields=["previous_date", "revised_date", "reason", "panel_told_on"],
    )
    before = snapshot(review, ["planned_publication_on", "late_publication_reason"])
    review.planned_publication_on = revised_date
    if revised_date > calendar.due_date("publication", review.decision_date) and not (
        review.late_publication_reason.strip()
    ):
        # Later than 6 months from the decision: the revision's reason says why.
        review.late_publication_reason = reason.strip()
    review.save(update_fields=["planned_publication_on", "late_publication_reason"])
    auditor.updated(
        review,
        action="reviews.practice_review.update",
        summary=f"Changed the planned publication of {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return revision
