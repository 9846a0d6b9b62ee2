"""Deadline reminders, recorded so that none goes out twice."""

from __future__ import annotations

from django.db import transaction

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent

from ..models import Clock
from ._checks import _fmt


@transaction.atomic
def reminder_record(*, auditor: Auditor, clock: Clock, kind: str):
    """Record that a deadline reminder went out, so it never goes out twice.

    Returns None when this reminder was already recorded for this due date.
    """
    from ..models import ReminderSent

    if ReminderSent.objects.filter(clock=clock, due_date=clock.due_date, kind=kind).exists():
        return None
    reminder = ReminderSent.objects.create(clock=clock, due_date=clock.due_date, kind=kind)
    when = "due today" if kind == "due" else "due in 3 working days or fewer"
    auditor.record(
        AuditEvent.Kind.CREATE,
        action="reviews.reminder.sent",
        summary=(
            f"Sent a reminder: {clock.get_kind_display()} for {clock.case.reference} is {when} "
            f"({_fmt(clock.due_date)})"
        ),
        obj=reminder,
        changes={"kind": [None, kind], "due_date": [None, clock.due_date]},
        partnership_id=clock.partnership_id,
    )
    return reminder
