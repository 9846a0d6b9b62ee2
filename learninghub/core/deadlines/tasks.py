"""The daily deadline reminders: one job, through the background worker, for every app.

The worker (django-tasks-db) runs `send_deadline_reminders` every morning at 07:00 UK time;
each run queues the next. `manage.py schedule_reminders` queues the first run (and puts the
chain back if it was ever lost). Each source's reminders run once a day (a `ReminderRun`),
so a run queued twice, or run by hand, emails nobody twice; a day a killed worker left
claimed but unfinished is taken over by a later run after DEADLINE_REMINDERS_CLAIM_TIMEOUT,
and sends only what the killed run had not recorded.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import task

from learninghub.core.audit.auditor import Auditor

from . import services, sources
from .selectors import task_queued

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
RUN_AT = time(7, 0)
TASK_PATH = "learninghub.core.deadlines.tasks.send_deadline_reminders"
JOB = "deadline reminders"


def next_run_at(now: datetime) -> datetime:
    """07:00 UK time tomorrow."""
    tomorrow = now.astimezone(UK).date() + timedelta(days=1)
    return datetime.combine(tomorrow, RUN_AT, tzinfo=UK)


def schedule_next_run(*, now: datetime | None = None) -> bool:
    """Queue tomorrow's run unless one is already waiting. Returns whether it queued one."""
    if not send_deadline_reminders.get_backend().supports_defer:
        # The immediate backend (tests) would run it at once, and again, forever.
        return False
    if task_queued(task_path=TASK_PATH):
        return False
    send_deadline_reminders.using(run_after=next_run_at(now or timezone.now())).enqueue()
    return True


def send_all_reminders(*, today: date | None = None) -> int:
    """Every source's reminders for today, each source once a day; returns how many went.

    A source that fails does not stop the others, and gives its day back so that the next
    run tries it again (what it had sent is recorded by the source and does not go twice).
    """
    today = today or timezone.localdate()
    auditor = Auditor.for_system(JOB)
    total = 0
    failed = []
    for source in sources():
        run = services.reminder_run_claim(auditor=auditor, source=source.name, day=today)
        if run is None:
            logger.info("The %s reminders for %s already ran", source.name, today)
            continue
        try:
            sent = source.send_reminders(today)
        except Exception:
            logger.exception("The %s reminders for %s failed", source.name, today)
            services.reminder_run_release(auditor=auditor, run=run)
            failed.append(source.name)
            continue
        services.reminder_run_finish(auditor=auditor, run=run, sent=sent)
        total += sent
    if failed:
        raise RuntimeError(f"Deadline reminders failed for: {', '.join(failed)}")
    return total


@task()
def send_deadline_reminders() -> int:
    """Every morning: each app's reminders for the deadlines due soon and due today."""
    try:
        return send_all_reminders()
    finally:
        schedule_next_run()
