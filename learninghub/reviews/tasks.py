"""Background work for case reviews: deadline reminders to the business unit.

The worker (django-tasks-db) runs `send_deadline_reminders` every morning at 07:00 UK time;
each run queues the next. `manage.py schedule_reminders` queues the first run.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.partnerships.selectors import business_unit_emails

from . import selectors, services

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
RUN_AT = time(7, 0)
BEFORE, DUE = "before", "due"
TASK_PATH = "learninghub.reviews.tasks.send_deadline_reminders"


def reminder_due(clock, *, today: date) -> str | None:
    """Which reminder, if any, this clock should send today.

    "before" goes 3 working days before the due date (or on a later day still before it, if
    the worker was not running that day); "due" goes on the due date itself. Each goes once.
    """
    sent = {(r.kind, r.due_date) for r in clock.reminders.all()}
    if clock.due_date == today:
        return DUE if (DUE, clock.due_date) not in sent else None
    left = calendar.working_days_between(today, clock.due_date)
    if 1 <= left <= calendar.DUE_SOON_WORKING_DAYS and (BEFORE, clock.due_date) not in sent:
        return BEFORE
    return None


def _deadline_name(clock) -> str:
    name = clock.get_kind_display()
    if clock.information_request_id:
        name = f"{name} from {clock.information_request.agency.name}"
    return name


def reminder_email(clock, kind: str, *, today: date) -> tuple[str, str]:
    """The reminder's subject and body: the case reference and pseudonym, never identifiers."""
    case = clock.case
    due = calendar.format_date(clock.due_date)
    name = _deadline_name(clock)
    if kind == DUE:
        subject = f"Due today: {name} for {case.reference}"
        when = f"is due today, {due}"
    else:
        left = calendar.working_days_between(today, clock.due_date)
        days = "1 working day" if left == 1 else f"{left} working days"
        subject = f"Due in {days}: {name} for {case.reference}"
        when = f"is due in {days}, on {due}"
    link = settings.SITE_URL.rstrip("/") + reverse("reviews:case_detail", args=[case.pk])
    body = (
        f"{name} for case {case.reference} ({case.pseudonym}) {when}.\n\n"
        f"Rule: {clock.description}.\n\n"
        f"See the case:\n{link}\n\n"
        f"You receive this because you are in the business unit of the partnership. "
        f"Sent by {settings.SERVICE_NAME}."
    )
    return subject, body


def next_run_at(now: datetime) -> datetime:
    """07:00 UK time tomorrow."""
    tomorrow = now.astimezone(UK).date() + timedelta(days=1)
    return datetime.combine(tomorrow, RUN_AT, tzinfo=UK)


def schedule_next_run(*, now: datetime | None = None) -> bool:
    """Queue tomorrow's run unless one is already waiting. Returns whether it queued one."""
    if not send_deadline_reminders.get_backend().supports_defer:
        # The immediate backend (tests) would run it at once, and again, forever.
        return False
    if selectors.task_queued(task_path=TASK_PATH):
        return False
    send_deadline_reminders.using(run_after=next_run_at(now or timezone.now())).enqueue()
    return True


def send_reminders(*, today: date | None = None) -> int:
    """Send today's reminders; returns how many went out."""
    today = today or timezone.localdate()
    auditor = Auditor.for_system("deadline reminders")
    recipients: dict[int, list[str]] = {}
    sent = 0
    for clock in selectors.clocks_for_reminders(on=today):
        kind = reminder_due(clock, today=today)
        if kind is None:
            continue
        if clock.partnership_id not in recipients:
            recipients[clock.partnership_id] = business_unit_emails(clock.partnership_id)
        to = recipients[clock.partnership_id]
        if not to:
            logger.warning("No business unit to remind for partnership %s", clock.partnership_id)
            continue
        subject, body = reminder_email(clock, kind, today=today)
        # Recorded and sent together: if the email fails, the record is undone and the
        # next run tries again.
        with transaction.atomic():
            if services.reminder_record(auditor=auditor, clock=clock, kind=kind) is None:
                continue
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        sent += 1
    return sent


@task()
def send_deadline_reminders() -> int:
    """Every morning: remind the business unit of deadlines 3 working days away and due today."""
    try:
        return send_reminders()
    finally:
        schedule_next_run()
