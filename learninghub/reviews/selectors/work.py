"""The work that is waiting, beside the statutory clocks: what "Needs attention" lists for the
business unit and the case review group (the Panel's answer, a reviewer to appoint, a hold to
tell the Panel about, summaries still out, milestones past their planned date).

Data only: the words are reviews/deadlines.py's. One query each, whatever the volume. Cases
recorded in error never appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ..models import InformationRequest, Milestone, PracticeReview, RapidReview
from .scope import _team_partnership_ids


@dataclass(frozen=True)
class Work:
    panel_response_awaited: list[RapidReview]
    practice_reviews: list[PracticeReview]  # no reviewer yet, or on hold with the Panel untold
    summaries_outstanding: list[InformationRequest]
    milestones_overdue: list[Milestone]


# What each list shows of a case (deadlines.work_deadlines): only these columns are read.
_CASE = ("reference", "pseudonym", "partnership_id")


def _case_fields(path: str) -> list[str]:
    return [path, *(f"{path}__{name}" for name in _CASE)]


def work_waiting(*, user, today: date) -> Work:
    """Four queries, whatever the number of cases."""
    partnerships = _team_partnership_ids(user)
    live = {"partnership_id__in": partnerships, "recorded_in_error_on__isnull": True}

    def on_case(prefix: str) -> dict:
        return {f"{prefix}__{key}": value for key, value in live.items()}

    awaited = (
        RapidReview.objects.filter(
            sent_to_panel_on__isnull=False, panel_response="", **on_case("case")
        )
        .select_related("case")
        .only("sent_to_panel_on", *_case_fields("case"))
        .order_by("sent_to_panel_on", "id")
    )
    practice_reviews = (
        PracticeReview.objects.filter(
            Q(independent_reviewer__isnull=True) | Q(on_hold=True, hold_panel_told_on__isnull=True),
            published_on__isnull=True,
            not_publishing=False,
            **on_case("case"),
        )
        .select_related("case")
        .only(
            "decision_date",
            "independent_reviewer_id",
            "on_hold",
            "hold_started_on",
            "hold_panel_told_on",
            *_case_fields("case"),
        )
        .order_by("decision_date", "id")
    )
    outstanding = (
        InformationRequest.objects.filter(
            returned_on__isnull=True,
            withdrawn_on__isnull=True,
            rapid_review__sent_to_panel_on__isnull=False,
            **on_case("rapid_review__case"),
        )
        .select_related("agency", "rapid_review__case")
        .only(
            "due_on",
            "agency__name",
            "rapid_review__sent_to_panel_on",
            *_case_fields("rapid_review__case"),
        )
        .order_by("rapid_review__case_id", "agency__name", "id")
    )
    milestones = (
        Milestone.objects.filter(
            planned_on__lt=today, actual_on__isnull=True, **on_case("practice_review__case")
        )
        .select_related("practice_review__case")
        .only("title", "planned_on", *_case_fields("practice_review__case"))
        .order_by("planned_on", "id")
    )
    return Work(
        panel_response_awaited=list(awaited),
        practice_reviews=list(practice_reviews),
        summaries_outstanding=list(outstanding),
        milestones_overdue=list(milestones),
    )
