"""What the spreadsheet downloads hold: the case list as filtered on its page, the timeliness
figures case by case, and a case's deadlines. Each read is scoped like the page it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from learninghub.core import calendar

from ..models import Case, Child, Clock, ClockKind, PracticeReview
from .cases import case_list
from .clocks import _today
from .milestones import SevenDayCheck, seven_day_check
from .scope import _team_partnership_ids


def case_export_list(*, user) -> QuerySet[Case]:
    """The case list's cases (the page's filters apply on top), each with all its clocks in
    `export_clocks` and its children prefetched: three queries whatever the number of cases."""
    return case_list(user=user, count_open_clocks=False).prefetch_related(
        Prefetch(
            "clocks",
            queryset=Clock.objects.order_by("suspended", "due_date", "id"),
            to_attr="export_clocks",
        ),
        Prefetch("children", queryset=Child.objects.only("id", "case_id", "position")),
    )


def clock_of(case: Case, kind: str) -> Clock | None:
    """The case's clock of this kind, from `export_clocks` (no query)."""
    return next((c for c in case.export_clocks if c.kind == kind), None)


def next_open_clock(case: Case) -> Clock | None:
    """The soonest open deadline, running ones before those on hold (as the case list)."""
    return next((c for c in case.export_clocks if c.done_on is None), None)


def clock_result(clock: Clock | None, *, today: date | None = None) -> str:
    """A deadline's outcome in words: on time, late by N working days, overdue, on hold."""
    if clock is None:
        return ""
    if clock.done_on is not None:
        if clock.done_on <= clock.due_date:
            return "On time"
        return (
            f"Late by {_working_days(calendar.working_days_between(clock.due_date, clock.done_on))}"
        )
    if clock.suspended:
        return "On hold"
    today = today or _today()
    if clock.due_date < today:
        late = calendar.working_days_between(clock.due_date, today)
        return f"Not done: {_working_days(late)} overdue"
    return "Not yet due"


def clock_status_text(clock: Clock, *, today: date | None = None) -> str:
    """The status the case page's tag shows, in words."""
    if clock.suspended and not clock.done_on:
        return "On hold"
    status = calendar.deadline_status(
        clock.due_date, done_on=clock.done_on, today=today or _today()
    )
    return str(status).capitalize()


def _working_days(n: int) -> str:
    return "1 working day" if n == 1 else f"{n} working days"


# The clocks the timeliness figures count, in their order.
_TIMELINESS_KINDS = (ClockKind.NOTIFICATION, ClockKind.RAPID_REVIEW, ClockKind.PUBLICATION)


@dataclass(frozen=True)
class TimelinessCase:
    """One case in the timeliness period: its counted clocks due in the period (None when not
    due then), and the 7-working-day check when its report was published in the period."""

    reference: str
    pseudonym: str
    partnership_id: int
    clocks: dict[str, Clock | None]
    seven_day: SevenDayCheck | None

    def clock(self, kind: str) -> Clock | None:
        return self.clocks.get(kind)


def timeliness_cases(*, user, start: date, end: date) -> list[TimelinessCase]:
    """Case by case, what the timeliness figures count: each case with a counted deadline due
    in the period or its report published in it. Two queries."""
    team = _team_partnership_ids(user)
    in_period = Q(
        clocks__kind__in=_TIMELINESS_KINDS,
        clocks__due_date__gte=start,
        clocks__due_date__lte=end,
    )
    published = Q(
        practice_review__published_on__gte=start,
        practice_review__published_on__lte=end,
        practice_review__sent_to_panel_on__isnull=False,
        recorded_in_error_on__isnull=True,
    )
    cases = (
        Case.objects.filter(partnership_id__in=team)
        .filter(in_period | published)
        .distinct()
        .select_related("practice_review")
        .prefetch_related(
            Prefetch(
                "clocks",
                queryset=Clock.objects.filter(
                    kind__in=_TIMELINESS_KINDS, due_date__gte=start, due_date__lte=end
                ),
                to_attr="period_clocks",
            )
        )
        .order_by("reference", "id")
    )
    rows = []
    for case in cases:
        review = _practice_review(case)
        check = None
        if (
            review is not None
            and review.published_on
            and start <= review.published_on <= end
            and case.recorded_in_error_on is None
        ):
            check = seven_day_check(review)
        clocks = {kind: None for kind in _TIMELINESS_KINDS}
        for clock in case.period_clocks:
            clocks[clock.kind] = clock
        rows.append(
            TimelinessCase(case.reference, case.pseudonym, case.partnership_id, clocks, check)
        )
    return rows


def _practice_review(case: Case) -> PracticeReview | None:
    try:
        return case.practice_review
    except PracticeReview.DoesNotExist:
        return None
