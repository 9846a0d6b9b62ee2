"""The local child safeguarding practice review: start, progress, hold, publication or not."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent

from .. import stages
from ..models import Case, PracticeReview, RapidReview
from ._checks import _fmt, _not_before, _not_future, _raise
from .clocks import sync_clocks

PRACTICE_REVIEW_FIELDS = [
    "kind",
    "decision_date",
    "independent_reviewer",
    "methodology",
    "terms_of_reference",
    "terms_agreed_on",
    "practitioner_event_on",
    "draft_received_on",
    "partners_approved_on",
    "planned_publication_on",
    "sent_to_panel_on",
    "published_on",
    "publication_override_reason",
]


@transaction.atomic
def practice_review_start(
    *, auditor: Auditor, case: Case, kind: str, decision_date: date
) -> PracticeReview:
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
    _raise(errors)
    review = PracticeReview.objects.create(case=case, kind=kind, decision_date=decision_date)
    auditor.created(
        review,
        action="reviews.practice_review.start",
        summary=f"Started the {review.get_kind_display().lower()} for {case.reference}",
        fields=["kind", "decision_date"],
    )
    sync_clocks(case)
    return review


def _validate_practice_review(review: PracticeReview, merged: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    decision = merged["decision_date"]
    labels = {
        "terms_agreed_on": "The date the terms of reference were agreed",
        "practitioner_event_on": "The practitioner event date",
        "draft_received_on": "The date the draft was received",
        "partners_approved_on": "The partners' approval date",
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
    _not_before(
        errors,
        "partners_approved_on",
        merged["partners_approved_on"],
        merged["draft_received_on"],
        "The partners approve the report after the draft is received",
    )
    planned = merged["planned_publication_on"]
    latest = calendar.due_date("publication", decision)
    if planned and planned > latest and not review.on_hold:
        errors["planned_publication_on"] = (
            f"The planned publication date must be no later than {_fmt(latest)}, "
            f"6 months from the decision on {_fmt(decision)}"
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
    if "publication_override_reason" in data:
        merged["publication_override_reason"] = (data["publication_override_reason"] or "").strip()
    _raise(_validate_practice_review(review, merged))
    before = snapshot(review, PRACTICE_REVIEW_FIELDS)
    for field, value in merged.items():
        if (
            value is None
            and not field.endswith(("_on", "_date"))
            and field != "independent_reviewer"
        ):
            value = ""
        setattr(review, field, value)
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
    before = snapshot(review, ["on_hold", "hold_reason", "hold_started_on", "hold_panel_told_on"])
    review.on_hold = True
    review.hold_reason = reason.strip()
    review.hold_started_on = started_on
    review.hold_panel_told_on = panel_told_on
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
def practice_review_release_hold(*, auditor: Auditor, review: PracticeReview) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    stages.check(review.case, "release_hold", practice_review=review)
    before = snapshot(review, ["on_hold"])
    review.on_hold = False
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.release_hold",
        summary=f"Released the hold on {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_not_publishing(
    *, auditor: Auditor, review: PracticeReview, reasons: str, reasons_sent_on: date | None
) -> PracticeReview:
    """A partnership that decides not to publish sends its reasons to the Panel and the SoS."""
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "not_publishing", practice_review=review)
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for not publishing"
    _not_future(errors, "reasons_sent_on", reasons_sent_on, "The date the reasons were sent")
    _not_before(
        errors,
        "reasons_sent_on",
        reasons_sent_on,
        review.decision_date,
        "The reasons are sent after the decision to review",
    )
    _raise(errors)
    before = snapshot(
        review, ["not_publishing", "not_publishing_reasons", "not_publishing_reasons_sent_on"]
    )
    review.not_publishing = True
    review.not_publishing_reasons = reasons.strip()
    review.not_publishing_reasons_sent_on = reasons_sent_on
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.not_publishing",
        summary=f"Recorded the decision not to publish {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review
