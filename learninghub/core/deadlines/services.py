"""Writes for the daily reminders: claiming a source's run for a day, and closing it."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot

from .models import ReminderRun

logger = logging.getLogger(__name__)


@transaction.atomic
def reminder_run_claim(*, auditor: Auditor, source: str, day: date) -> ReminderRun | None:
    """Claim today's run of a source's reminders; None if it already ran (or is running).

    The unique constraint decides between two workers that claim at the same moment: the
    loser's insert fails and it sends nothing. A claim left unfinished for longer than
    DEADLINE_REMINDERS_CLAIM_TIMEOUT belongs to a worker that was killed mid-run (a
    deployment, the out-of-memory killer): it is taken over, so that day's reminders still go.
    """
    existing = ReminderRun.objects.filter(source=source, day=day).first()
    if existing is not None:
        return _take_over_if_stale(auditor=auditor, run=existing)
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


def _take_over_if_stale(*, auditor: Auditor, run: ReminderRun) -> ReminderRun | None:
    now = timezone.now()
    stale_before = now - settings.DEADLINE_REMINDERS_CLAIM_TIMEOUT
    if run.finished_at is not None or run.started_at > stale_before:
        return None
    before = snapshot(run, ["started_at"])
    # One conditional UPDATE, not a read then a save: two runs that both saw the stale claim
    # race on the row itself, and only the first matches the old start time (the second
    # waits for the first's row lock, then finds the start time changed and matches nothing),
    # so two workers never send the same day's reminders at once.
    taken = ReminderRun.objects.filter(
        pk=run.pk,
        started_at=run.started_at,
        started_at__lte=stale_before,
        finished_at__isnull=True,
    ).update(started_at=now)
    if not taken:
        return None
    run.started_at = now
    auditor.updated(
        run,
        action="core.reminder_run.taken_over",
        summary=f"Took over the {run.source} deadline reminders for "
        f"{calendar.format_date(run.day)}, left unfinished since "
        f"{timezone.localtime(before['started_at']):%H:%M}",
        before=before,
    )
    return run


@transaction.atomic
def reminder_run_finish(*, auditor: Auditor, run: ReminderRun, sent: int) -> ReminderRun:
    before = snapshot(run, ["finished_at", "sent"])
    run.finished_at = timezone.now()
    run.sent = sent
    # Only while the claim is still this run's: a run so slow that a later one took its claim
    # over must not mark the day done while the later one is still sending.
    if not _still_ours(run).update(finished_at=run.finished_at, sent=sent):
        logger.warning("The %s reminders for %s were taken over", run.source, run.day)
        return run
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
    deleted, _ = _still_ours(run).delete()
    if not deleted:
        return  # taken over by a later run: that run's to finish or give back
    auditor.deleted(
        run,
        action="core.reminder_run.failed",
        summary=f"The {run.source} deadline reminders for {calendar.format_date(run.day)} "
        "failed and will be tried again",
    )


def _still_ours(run: ReminderRun):
    return ReminderRun.objects.filter(pk=run.pk, started_at=run.started_at)
