"""The case review group's record of the rapid review meeting: when it met, who attended,
the views given and the decision with its reasons."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot

from ..models import Case, Decision, Notification, RapidReview
from ._checks import _fmt, _not_before, _not_future, _raise
from .clocks import sync_clocks
from .rapid_review import _rapid_review_for

MEETING_FIELDS = [
    "meeting_date",
    "meeting_attendees",
    "meeting_views",
    "decision",
    "decision_reasons",
]


def _text(value: str | None) -> str:
    """Typed text as kept: trimmed, one line break whatever the browser sent."""
    return (value or "").replace("\r\n", "\n").strip()


@transaction.atomic
def rapid_review_meeting_record(
    *,
    auditor: Auditor,
    case: Case,
    meeting_date: date | None,
    meeting_attendees: str = "",
    meeting_views: str = "",
    decision: str = "",
    decision_reasons: str = "",
) -> RapidReview:
    """Record the rapid review meeting. The same date guards as `rapid_review_update`: the
    meeting is not in the future, not before the notification, and not after the partners
    signed the rapid review off; a decision needs its reasons."""
    rapid_review = _rapid_review_for(case)
    # Read afresh: the case passed in may carry a notification from before it was sent.
    notified = (
        Notification.objects.filter(case=case).values_list("sent_to_panel_on", flat=True).first()
    )
    attendees, views, reasons = (
        _text(meeting_attendees),
        _text(meeting_views),
        _text(decision_reasons),
    )
    errors: dict[str, str] = {}
    if meeting_date is None:
        errors["meeting_date"] = "Enter the date of the meeting"
    _not_future(errors, "meeting_date", meeting_date, "The meeting date")
    if notified:
        _not_before(
            errors,
            "meeting_date",
            meeting_date,
            notified,
            f"The meeting date must be on or after the notification on {_fmt(notified)}",
        )
    signed_off = rapid_review.partners_signed_off_on
    if meeting_date and signed_off and meeting_date > signed_off:
        errors.setdefault(
            "meeting_date",
            f"The meeting must be on or before the partners' sign-off on {_fmt(signed_off)}",
        )
    if not attendees:
        errors["meeting_attendees"] = "Enter who attended the meeting: names, roles and agencies"
    if decision and decision not in Decision.values:
        errors["decision"] = "Select one of the three decisions"
    if decision and not reasons:
        errors["decision_reasons"] = "Give the reasons for the decision"
    if reasons and not decision:
        errors["decision"] = "Select the decision these reasons are for"
    _raise(errors)
    before = snapshot(rapid_review, MEETING_FIELDS)
    rapid_review.meeting_date = meeting_date
    rapid_review.meeting_attendees = attendees
    rapid_review.meeting_views = views
    rapid_review.decision = decision
    rapid_review.decision_reasons = reasons
    rapid_review.save()
    auditor.updated(
        rapid_review,
        action="reviews.rapid_review.meeting",
        summary=f"Recorded the rapid review meeting for {case.reference}",
        before=before,
    )
    sync_clocks(case)
    return rapid_review
