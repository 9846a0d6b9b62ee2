"""The statutory clocks of a case, derived from its recorded dates.

Every due date comes from learninghub.core.calendar, so the rule shown on screen and the
date computed are the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from learninghub.core import calendar

from .models import CareStatus, Case, ClockKind


@dataclass(frozen=True)
class ClockSpec:
    kind: str
    rule: str
    start_date: date
    due_date: date
    description: str
    done_on: date | None
    suspended: bool = False
    suspended_reason: str = ""
    information_request_id: int | None = None


def _spec(kind, rule, start, done_on, **extra) -> ClockSpec:
    return ClockSpec(
        kind=kind,
        rule=rule,
        start_date=start,
        due_date=calendar.due_date(rule, start),
        description=calendar.describe(rule, start),
        done_on=done_on,
        **extra,
    )


def clocks_for(case: Case) -> list[ClockSpec]:
    """The clocks a case has now, from what has been recorded so far."""
    specs: list[ClockSpec] = []
    notification = getattr(case, "notification", None)
    if notification is None or case.recorded_in_error_on:
        return specs
    if notification.is_serious_incident:
        specs.append(
            _spec(
                ClockKind.NOTIFICATION,
                "notification",
                notification.aware_date,
                notification.sent_to_panel_on,
            )
        )
    if notification.needs_ofsted_and_secretary_of_state:
        # Done when both have been told: the later of the two dates.
        told = [notification.sent_to_ofsted_on, notification.sent_to_secretary_of_state_on]
        kind = (
            ClockKind.CARE_LEAVER_DEATH
            if notification.care_status == CareStatus.CARE_LEAVER
            else ClockKind.LOOKED_AFTER_DEATH
        )
        specs.append(
            _spec(kind, str(kind), notification.aware_date, max(told) if all(told) else None)
        )
    rapid_review = getattr(case, "rapid_review", None)
    if notification.sent_to_panel_on and rapid_review is not None:
        specs.append(
            _spec(
                ClockKind.RAPID_REVIEW,
                "rapid_review",
                notification.sent_to_panel_on,
                rapid_review.sent_to_panel_on,
            )
        )
        for request in rapid_review.information_requests.all():
            if request.withdrawn_on:
                continue
            specs.append(
                ClockSpec(
                    kind=ClockKind.INFORMATION_REQUEST,
                    rule="information_request",
                    start_date=request.requested_on,
                    due_date=request.due_on,
                    description=(
                        f"Summary from {request.agency.name}, requested on "
                        f"{calendar.format_date(request.requested_on)}"
                    ),
                    done_on=request.returned_on,
                    information_request_id=request.pk,
                )
            )
    review = getattr(case, "practice_review", None)
    if review is not None:
        hold = {"suspended": review.on_hold, "suspended_reason": review.hold_reason[:300]}
        published = review.published_on or (
            review.not_publishing_reasons_sent_on if review.not_publishing else None
        )
        specs.append(
            _spec(ClockKind.PUBLICATION, "publication", review.decision_date, published, **hold)
        )
        if review.planned_publication_on and not review.not_publishing:
            specs.append(
                _spec(
                    ClockKind.SEND_TO_PANEL,
                    "send_to_panel",
                    review.planned_publication_on,
                    review.sent_to_panel_on,
                    **hold,
                )
            )
    return specs
