"""Writes for the daily reminders: claiming a source's run for a day, and closing it."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot

from .models import ReminderRun


@transaction.atomic
def reminder_run_claim(*, auditor: Auditor, source: str, day: date) -> ReminderRun | None:
    """Claim today's run of a source's reminders; None if it already ran (or is running).

    The unique constraint decides between two workers that claim at the same moment: the
    loser's insert fails and it sends nothing.
    """
    if ReminderRun.objects.filter(source=source, day=day).exists():
        return None
    try:
        with transaction.atomic():
            run = ReminderRun.objects.create(source=source, day=day, started_at=timezone.now())
    except IntegrityError:
        return None
    auditor.created(
        run,
        action="core.reminder_run.started",
        summary=f"Started the {source} deadline reminders for {calendar.format_date(day)}",
    )
    return run


@transaction.atomic
def reminder_run_finish(*, auditor: Auditor, run: ReminderRun, sent: int) -> ReminderRun:
    before = snapshot(run, ["finished_at", "sent"])
    run.finished_at = timezone.now()
    run.sent = sent
    run.save(update_fields=["finished_at", "sent"])
    auditor.updated(
        run,
        action="core.reminder_run.finished",
        summary=f"Sent {sent} {run.source} deadline reminders for {calendar.format_date(run.day)}",
        before=before,
    )
    return run


@transaction.atomic
def reminder_run_release(*, auditor: Auditor, run: ReminderRun) -> None:
    """A run that failed gives its day back, so the next run tries again. Reminders it did
    send were each recorded by their app, so they do not go twice."""
    auditor.deleted(
        run,
        action="core.reminder_run.failed",
        summary=f"The {run.source} deadline reminders for {calendar.format_date(run.day)} "
        "failed and will be tried again",
    )
    run.delete()
