"""The timeliness figures: how many statutory steps were done on time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import Clock, ClockKind, PracticeReview
from .clocks import _today
from .milestones import SevenDayCheck, seven_day_check
from .scope import _team_partnership_ids


@dataclass(frozen=True)
class Share:
    label: str
    rule: str
    on_time: int
    total: int
    excluded: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


def timeliness(*, user, start: date, end: date, checks=None) -> list[Share]:
    """Share of each statutory step done on time, for clocks due in the period.

    Practice reviews on hold are left out of the publication share and counted apart.
    """
    clocks = Clock.objects.filter(
        partnership_id__in=_team_partnership_ids(user), due_date__gte=start, due_date__lte=end
    )
    rows = clocks.values("kind", "done_on", "due_date", "suspended")
    shares = []
    for kind, rule, label in [
        (ClockKind.NOTIFICATION, "notification", "Notifications within 5 working days"),
        (ClockKind.RAPID_REVIEW, "rapid_review", "Rapid reviews within 15 working days"),
        (ClockKind.PUBLICATION, "publication", "Practice reviews published within 6 months"),
    ]:
        relevant = [r for r in rows if r["kind"] == kind]
        held = [r for r in relevant if r["suspended"]]
        # A step not done and not yet due is neither on time nor late: it is left out.
        counted = [
            r for r in relevant if not r["suspended"] and (r["done_on"] or r["due_date"] < _today())
        ]
        on_time = sum(1 for r in counted if r["done_on"] and r["done_on"] <= r["due_date"])
        shares.append(Share(label, rule, on_time, len(counted), excluded=len(held)))
    if checks is None:  # the page passes the ones it shows, read once
        checks = seven_day_checks(user=user, start=start, end=end)
    shares.append(
        Share(
            "Reports sent to the Panel at least 7 working days before publication",
            "seven_day_check",
            sum(1 for row in checks if row.check.meets),
            len(checks),
        )
    )
    return shares


@dataclass(frozen=True)
class SevenDayRow:
    case_id: int
    reference: str
    check: SevenDayCheck


def seven_day_checks(*, user, start: date, end: date) -> list[SevenDayRow]:
    """Per review published in the period: did the report reach the Panel and the Secretary
    of State at least 7 working days before it was actually published?"""
    reviews = (
        PracticeReview.objects.filter(
            case__partnership_id__in=_team_partnership_ids(user),
            case__recorded_in_error_on__isnull=True,
            published_on__gte=start,
            published_on__lte=end,
            sent_to_panel_on__isnull=False,
        )
        .select_related("case")
        .order_by("published_on", "id")
    )
    return [SevenDayRow(r.case_id, r.case.reference, seven_day_check(r)) for r in reviews]
