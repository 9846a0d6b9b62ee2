"""The practice review's forward plan: its milestones with the two statutory dates beside
them, the publication date's history, and the 7-working-day check on what really happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from learninghub.core import calendar
from learninghub.core.permissions import require

from ..models import Document, Milestone, PracticeReview, PublicationRevision, Stage
from .clocks import _today

# Statuses of a row of the plan (the presenters give the words and colours).
_DONE = "done"
_OVERDUE = "overdue"
_PLANNED = "planned"
_NOT_PLANNED = "not_planned"

SEVEN_WORKING_DAYS = 7


@dataclass(frozen=True)
class PlanRow:
    title: str
    planned_on: date | None
    actual_on: date | None
    status: str
    milestone: Milestone | None = None  # None for the two statutory rows

    @property
    def statutory(self) -> bool:
        return self.milestone is None


def milestone_status(planned_on: date | None, actual_on: date | None, *, today: date) -> str:
    if actual_on:
        return _DONE
    if planned_on is None:
        return _NOT_PLANNED
    return _OVERDUE if planned_on < today else _PLANNED


def milestone_review_for(user, case_pk: int, perm: str = "reviews.record_milestone"):
    """The case's practice review, if `perm` allows this person it; otherwise 404."""
    review = (
        PracticeReview.objects.select_related("case__partnership", "independent_reviewer")
        .filter(case_id=case_pk, case__recorded_in_error_on__isnull=True)
        .first()
    )
    if review is None:
        raise Http404
    require(user, perm, review)
    return review


def milestone_get(*, review: PracticeReview, pk: int) -> Milestone:
    try:
        return review.milestones.get(pk=pk)
    except Milestone.DoesNotExist as exc:
        raise Http404 from exc


def send_to_panel_planned(review: PracticeReview) -> date | None:
    """7 working days before the current planned publication date."""
    if not review.planned_publication_on:
        return None
    return calendar.due_date("send_to_panel", review.planned_publication_on)


def milestone_plan(*, review: PracticeReview, today: date | None = None) -> list[PlanRow]:
    """Every milestone, then the two statutory dates (sending to the Panel, publication)."""
    today = today or _today()
    rows = [
        PlanRow(
            m.title,
            m.planned_on,
            m.actual_on,
            milestone_status(m.planned_on, m.actual_on, today=today),
            m,
        )
        for m in review.milestones.all()
    ]
    for title, planned, actual in (
        (
            "To the Panel and the Secretary of State",
            send_to_panel_planned(review),
            review.sent_to_panel_on,
        ),
        ("Publication", review.planned_publication_on, review.published_on),
    ):
        rows.append(PlanRow(title, planned, actual, milestone_status(planned, actual, today=today)))
    return rows


def publication_revisions(*, review: PracticeReview) -> list[PublicationRevision]:
    return list(review.publication_revisions.select_related("recorded_by"))


def late_against_six_months(review: PracticeReview) -> date | None:
    """The 6-month date, when the planned publication is later than it; else None."""
    latest = calendar.due_date("publication", review.decision_date)
    planned = review.planned_publication_on
    return latest if planned and planned > latest and not review.published_on else None


@dataclass(frozen=True)
class SevenDayCheck:
    """The 7-working-day rule, on the dates the report was really sent and published."""

    sent_on: date
    published_on: date
    working_days: int

    @property
    def meets(self) -> bool:
        return self.working_days >= SEVEN_WORKING_DAYS


def seven_day_check(review) -> SevenDayCheck | None:
    """None until the report has been both sent and published."""
    sent, published = review.sent_to_panel_on, review.published_on
    if not (sent and published):
        return None
    return SevenDayCheck(sent, published, calendar.working_days_between(sent, published))


def published_report_choices(*, review: PracticeReview) -> list[Document]:
    """The case's documents that can be the published report: final reports (and the
    practice review's own documents), newest first."""
    return list(
        Document.objects.filter(
            case_id=review.case_id, stage__in=(Stage.FINAL_REPORT, Stage.PRACTICE_REVIEW)
        ).order_by("-created_at", "-id")
    )
