"""Reads for the deadlines registry: one person's open deadlines across every app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from . import Deadline, Status, sources

# The list shows the soonest this many; the counts above it are over every open deadline.
SHOWN = 200


@dataclass(frozen=True)
class NeedsAttention:
    deadlines: list[Deadline]  # running, soonest first, at most SHOWN
    on_hold: list[Deadline]
    overdue: int
    due_soon: int
    total: int  # every running deadline, not only those shown
    links: list[tuple[str, str]] = field(default_factory=list)


def can_see_needs_attention(user) -> bool:
    """Anyone who has some app's deadlines: nobody else sees the page or its link."""
    return bool(user.is_authenticated) and any(s.applies_to(user) for s in sources())


def needs_attention(*, user, today: date | None = None) -> NeedsAttention:
    today = today or timezone.localdate()
    running: list[Deadline] = []
    held: list[Deadline] = []
    links: list[tuple[str, str]] = []
    for source in sources():
        if not source.applies_to(user):
            continue
        for deadline in source.open_deadlines(user, today=today):
            (held if deadline.status == Status.ON_HOLD else running).append(deadline)
        links.extend(source.links(user))
    # sorted() is stable: deadlines due the same day keep their source's own order.
    running.sort(key=lambda d: d.due)
    held.sort(key=lambda d: d.due)
    return NeedsAttention(
        deadlines=running[:SHOWN],
        on_hold=held[:SHOWN],
        overdue=sum(1 for d in running if d.status == Status.OVERDUE),
        due_soon=sum(1 for d in running if d.status == Status.DUE_SOON),
        total=len(running),
        links=links,
    )


def task_queued(*, task_path: str) -> bool:
    """Whether a run of this background task is already waiting in the queue."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY).exists()
