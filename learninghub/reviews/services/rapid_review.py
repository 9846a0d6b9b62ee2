"""The rapid review (15 working days) and its requests to agencies for their summaries."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot

from .. import stages
from ..models import (
    Case,
    Document,
    InformationRequest,
    Notification,
    PanelResponse,
    RapidReview,
    Stage,
)
from ._checks import _fmt, _not_before, _not_future, _raise
from .clocks import sync_clocks
from .documents import document_upload

# Agencies' summaries are typically due by day 10 of the rapid review's 15 working days.
INFORMATION_REQUEST_WORKING_DAYS = 10


RAPID_REVIEW_FIELDS = [
    "meeting_date",
    "partners_signed_off_on",
    "decision",
    "decision_reasons",
    "sent_to_panel_on",
    "panel_response",
    "panel_response_notes",
    "panel_response_on",
]


def _rapid_review_for(case: Case) -> RapidReview:
    stages.check(case, "rapid_review", notification=Notification.objects.filter(case=case).first())
    return RapidReview.objects.select_for_update().get_or_create(case=case)[0]


@transaction.atomic
def rapid_review_update(*, auditor: Auditor, case: Case, **data) -> RapidReview:
    """Record the rapid review's meeting, sign-off, decision, submission and the Panel's answer."""
    rapid_review = _rapid_review_for(case)
    notified = case.notification.sent_to_panel_on
    merged = {f: data.get(f, getattr(rapid_review, f)) for f in RAPID_REVIEW_FIELDS}
    errors: dict[str, str] = {}
    for field, label in [
        ("meeting_date", "The review meeting date"),
        ("partners_signed_off_on", "The partners' sign-off date"),
        ("sent_to_panel_on", "The date sent to the Panel"),
        ("panel_response_on", "The date of the Panel's response"),
    ]:
        _not_future(errors, field, merged[field], label)
        _not_before(
            errors,
            field,
            merged[field],
            notified,
            f"{label} must be on or after the notification on {_fmt(notified)}",
        )
    _not_before(
        errors,
        "partners_signed_off_on",
        merged["partners_signed_off_on"],
        merged["meeting_date"],
        "The partners sign off after the review meeting",
    )
    if merged["decision"] and not (merged["decision_reasons"] or "").strip():
        errors["decision_reasons"] = "Give the reasons for the decision"
    proposed = stages.proposed(rapid_review, merged)
    if merged["sent_to_panel_on"]:
        errors.update(stages.refusals(case, "send_rapid_review", rapid_review=proposed))
        _not_before(
            errors,
            "sent_to_panel_on",
            merged["sent_to_panel_on"],
            merged["partners_signed_off_on"],
            "The rapid review is sent after the partners sign it off",
        )
    if merged["panel_response"] or merged["panel_response_on"]:
        errors.update(stages.refusals(case, "panel_response", rapid_review=proposed))
    if merged["panel_response"] and not merged["panel_response_on"]:
        errors["panel_response_on"] = "Enter the date of the Panel's response"
    if merged["panel_response_on"] and not merged["panel_response"]:
        errors["panel_response"] = "Select the Panel's response"
    _not_before(
        errors,
        "panel_response_on",
        merged["panel_response_on"],
        merged["sent_to_panel_on"],
        "The Panel responds after the rapid review was sent",
    )
    if (
        merged["panel_response"] == PanelResponse.CHALLENGES
        and not (merged["panel_response_notes"] or "").strip()
    ):
        errors["panel_response_notes"] = "Note the Panel's challenge"
    _raise(errors)
    before = snapshot(rapid_review, RAPID_REVIEW_FIELDS)
    for field, value in merged.items():
        setattr(
            rapid_review,
            field,
            value if value is not None else (None if field.endswith(("_on", "_date")) else ""),
        )
    rapid_review.save()
    auditor.updated(
        rapid_review,
        action="reviews.rapid_review.update",
        summary=f"Changed the rapid review for {case.reference}",
        before=before,
    )
    sync_clocks(case)
    return rapid_review


@transaction.atomic
def information_request_return(
    *, auditor: Auditor, request: InformationRequest, returned_on: date, file=None
) -> InformationRequest:
    request = (
        InformationRequest.objects.select_for_update()
        .select_related("rapid_review__case", "agency")
        .get(pk=request.pk)
    )
    case = request.rapid_review.case
    errors: dict[str, str] = {}
    if request.withdrawn_on:
        errors["returned_on"] = "This request was withdrawn, so no summary is needed"
    _not_future(errors, "returned_on", returned_on, "The date returned")
    _not_before(
        errors,
        "returned_on",
        returned_on,
        request.requested_on,
        "The summary cannot be returned before it was requested",
    )
    _raise(errors)
    before = snapshot(request, ["returned_on"])
    request.returned_on = returned_on
    request.save()
    if file is not None:
        document = Document.objects.filter(information_request=request).first()
        document_upload(
            auditor=auditor,
            case=case,
            stage=Stage.AGENCY_SUMMARY,
            title=f"Agency summary: {request.agency.name}",
            file=file,
            document=document,
            information_request=request,
        )
    auditor.updated(
        request,
        action="reviews.information_request.return",
        summary=f"Recorded the summary from {request.agency.name} on {case.reference}",
        before=before,
    )
    sync_clocks(case)
    return request
