"""The local child safeguarding practice review: start, progress, hold, publication or not."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent

from .. import stages
from ..models import Case, Child, PracticeReview, RapidReview
from ._checks import _fmt, _not_before, _not_future, _raise
from .cases import case_name
from .clocks import sync_clocks
from .milestones import standard_milestones_create
from .publication import _notify_published, _published_report

PRACTICE_REVIEW_FIELDS = [
    "kind",
    "decision_date",
    "independent_reviewer",
    "methodology",
    "terms_of_reference",
    "planned_publication_on",
    "late_publication_reason",
    "sent_to_panel_on",
    "published_on",
    "publication_override_reason",
]


@transaction.atomic
def practice_review_start(
    *, auditor: Auditor, case: Case, kind: str, decision_date: date, children=None
) -> PracticeReview:
    """Start the review; it covers the incident's `children` you choose (all by default)."""
    rapid_review = RapidReview.objects.filter(case=case).first()
    errors = stages.refusals(
        case,
        "start_practice_review",
        rapid_review=rapid_review,
        practice_review=PracticeReview.objects.filter(case=case).first(),
    )
    _not_future(errors, "decision_date", decision_date, "The decision date")
    if rapid_review is not None and rapid_review.meeting_date:
        _not_before(
            errors,
            "decision_date",
            decision_date,
            rapid_review.meeting_date,
            "The decision cannot come before the rapid review meeting",
        )
    named = list(Child.objects.filter(case=case).order_by("position"))
    covered = named if children is None else [c for c in named if c in list(children)]
    if children is not None and (not covered or len(covered) != len(list(children))):
        errors.setdefault("children", "Choose which of the case's children the review covers")
    _raise(errors)
    review = PracticeReview.objects.create(case=case, kind=kind, decision_date=decision_date)
    review.children.set(covered)
    covering = case_name([{"pseudonym": c.pseudonym} for c in covered])
    auditor.created(
        review,
        action="reviews.practice_review.start",
        summary=(
            f"Started the {review.get_kind_display().lower()} for {case.reference}"
            + (f", covering {covering}" if covering else "")
        ),
        fields=["kind", "decision_date"],
    )
    standard_milestones_create(review)
    sync_clocks(case)
    return review


def _validate_practice_review(review: PracticeReview, merged: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    decision = merged["decision_date"]
    labels = {
        "sent_to_panel_on": "The date sent to the Panel and the Secretary of State",
        "published_on": "The publication date",
    }
    _not_future(errors, "decision_date", decision, "The decision date")
    for field, label in labels.items():
        _not_future(errors, field, merged[field], label)
        _not_before(
            errors,
            field,
            merged[field],
            decision,
            f"{label} must be on or after the decision on {_fmt(decision)}",
        )
    planned = merged["planned_publication_on"]
    latest = calendar.due_date("publication", decision)
    # Beyond 6 months is allowed (a hold, a trial, a revised date agreed with the Panel),
    # with the reason recorded; the page shows it as late against the 6-month expectation.
    if (
        planned
        and planned > latest
        and not review.on_hold
        and not (merged["late_publication_reason"] or "").strip()
    ):
        errors["late_publication_reason"] = (
            f"The planned publication date is after {_fmt(latest)}, 6 months from the "
            f"decision on {_fmt(decision)}. Give the reason it will be published later"
        )
    _not_before(
        errors,
        "planned_publication_on",
        planned,
        decision,
        "The planned publication date must be after the decision",
    )
    reviewer = merged["independent_reviewer"]
    if reviewer is not None and not reviewer.is_active:
        errors["independent_reviewer"] = "Choose an active independent reviewer"
    published = merged["published_on"]
    if published:
        errors.update(
            stages.refusals(review.case, "publish", practice_review=stages.proposed(review, merged))
        )
        sent = merged["sent_to_panel_on"]  # when it is missing, the guards refused above
        if sent and published < sent:
            errors["published_on"] = "Publication comes after sending the report to the Panel"
        elif (
            sent
            and calendar.add_working_days(sent, 7) > published
            and not (merged["publication_override_reason"] or "").strip()
        ):
            # The report goes to the Panel and the Secretary of State at least 7 working
            # days before publication; publishing sooner needs a recorded reason.
            errors["publication_override_reason"] = (
                "The report was sent to the Panel less than 7 working days before publication "
                f"(on {_fmt(sent)}; the earliest date is "
                f"{_fmt(calendar.add_working_days(sent, 7))}). "
                "Give the reason for publishing sooner"
            )
    return errors


@transaction.atomic
def practice_review_update(*, auditor: Auditor, review: PracticeReview, **data) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    merged = {f: data.get(f, getattr(review, f)) for f in PRACTICE_REVIEW_FIELDS}
    for text in ("publication_override_reason", "late_publication_reason"):
        if text in data:
            merged[text] = (data[text] or "").strip()
    errors = _validate_practice_review(review, merged)
    report = _published_report(review, merged, data.get("published_document"), errors)
    _raise(errors)
    before = snapshot(review, [*PRACTICE_REVIEW_FIELDS, "published_report"])
    for field, value in merged.items():
        if (
            value is None
            and not field.endswith(("_on", "_date"))
            and field != "independent_reviewer"
        ):
            value = ""
        setattr(review, field, value)
    if report is not None:
        review.published_report = report
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.update",
        summary=f"Changed the practice review for {review.case.reference}",
        before=before,
    )
    if (
        review.published_on
        and review.publication_override_reason
        and review.published_on < calendar.add_working_days(review.sent_to_panel_on, 7)
        and before["published_on"] != review.published_on
    ):
        auditor.record(
            AuditEvent.Kind.ACTION,
            action="reviews.practice_review.publication_override",
            summary=(
                f"Published {review.case.reference} less than 7 working days "
                "after sending to the Panel"
            ),
            obj=review,
            changes={"publication_override_reason": [None, review.publication_override_reason]},
        )
    if review.published_on and before["published_on"] != review.published_on:
        _notify_published(review)
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_hold(
    *,
    auditor: Auditor,
    review: PracticeReview,
    reason: str,
    started_on: date,
    panel_told_on: date | None,
) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "hold", practice_review=review)
    if not reason.strip():
        errors["reason"] = (
            "Give the reason for the hold, for example the criminal trial it waits for"
        )
    _not_future(errors, "started_on", started_on, "The date the hold started")
    _not_before(
        errors,
        "started_on",
        started_on,
        review.decision_date,
        "The hold starts on or after the decision to review",
    )
    _not_future(errors, "panel_told_on", panel_told_on, "The date the Panel was told")
    _not_before(
        errors,
        "panel_told_on",
        panel_told_on,
        started_on,
        "The Panel is told on or after the hold starts",
    )
    _raise(errors)
    before = snapshot(
        review,
        ["on_hold", "hold_reason", "hold_started_on", "hold_panel_told_on", "hold_released_on"],
    )
    review.on_hold = True
    review.hold_reason = reason.strip()
    review.hold_started_on = started_on
    review.hold_panel_told_on = panel_told_on
    review.hold_released_on = None
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.hold",
        summary=f"Put the practice review for {review.case.reference} on hold",
        before=before,
    )
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_release_hold(
    *, auditor: Auditor, review: PracticeReview, released_on: date | None
) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "release_hold", practice_review=review)
    if released_on is None:
        errors.setdefault("released_on", "Enter the date the hold was released")
    _not_future(errors, "released_on", released_on, "The date the hold was released")
    _not_before(
        errors,
        "released_on",
        released_on,
        review.hold_started_on,
        f"The hold is released on or after it started on {_fmt(review.hold_started_on)}"
        if review.hold_started_on
        else "",
    )
    _raise(errors)
    before = snapshot(review, ["on_hold", "hold_released_on"])
    review.on_hold = False
    review.hold_released_on = released_on
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.release_hold",
        summary=f"Released the hold on {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review
