"""The statutory clocks: a case's, every open one the person has, and those to remind about."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from learninghub.core import calendar

from ..models import Case, Clock
from .scope import _team_partnership_ids


def case_clocks(*, case: Case) -> list[Clock]:
    return list(
        case.clocks.select_related("information_request__agency").order_by("due_date", "id")
    )


def needs_attention(*, user, limit: int = 200) -> QuerySet[Clock]:
    """Every open statutory clock across the person's cases, soonest first."""
    return (
        Clock.objects.filter(
            partnership_id__in=_team_partnership_ids(user), done_on__isnull=True, suspended=False
        )
        .select_related("case", "information_request__agency")
        .order_by("due_date", "id")[:limit]
    )


def suspended_clocks(*, user) -> QuerySet[Clock]:
    return (
        Clock.objects.filter(
            partnership_id__in=_team_partnership_ids(user), done_on__isnull=True, suspended=True
        )
        .select_related("case")
        .order_by("due_date")
    )


def today() -> date:
    return timezone.localdate()


def _today() -> date:
    # Read through the package, so that a test fixing `selectors.today` fixes every reader.
    from learninghub.reviews import selectors

    return selectors.today()


def clock_status(clock: Clock, *, on: date | None = None) -> calendar.DeadlineStatus:
    return calendar.deadline_status(clock.due_date, done_on=clock.done_on, today=on or _today())


def clocks_for_reminders(*, on: date) -> list[Clock]:
    """Open clocks, not on hold, due from today up to a fortnight ahead (3 working days
    can stretch over a bank holiday weekend or Christmas), with the reminders already sent."""
    from datetime import timedelta

    return list(
        Clock.objects.filter(
            done_on__isnull=True,
            suspended=False,
            due_date__gte=on,
            due_date__lte=on + timedelta(days=14),
        )
        .select_related("case", "information_request__agency")
        .prefetch_related("reminders")
        .order_by("partnership_id", "due_date", "id")
    )
