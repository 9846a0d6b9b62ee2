"""Background work for case reviews: deadline reminders to the business unit (and, for an
agency's summary, to the agency's leads).

`send_reminders` is this app's part of the core's daily reminders job
(`learninghub.core.deadlines.tasks`), reached through its deadline source (`deadlines.py`).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.notify import absolute_url, notify
from learninghub.partnerships.selectors import agency_lead_emails, business_unit_emails

from . import selectors, services

logger = logging.getLogger(__name__)

BEFORE, DUE = "before", "due"


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


REMINDER_NOTICE = "reviews/notices/deadline_reminder"


def reminder_email(clock, kind: str, *, today: date) -> tuple[str, dict]:
    """The reminder notice's template and context (for core.notify): the case reference and
    pseudonym, never identifiers, which are not even handed to the template."""
    case = clock.case
    return REMINDER_NOTICE, {
        "deadline": _deadline_name(clock),
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "due": calendar.format_date(clock.due_date),
        "due_today": kind == DUE,
        "days_left": None if kind == DUE else calendar.working_days_between(today, clock.due_date),
        "rule": clock.description,
        "link": absolute_url(reverse("reviews:case_detail", args=[case.pk])),
    }


AGENCY_REMINDER_NOTICE = "reviews/notices/agency_request_reminder"


def agency_reminder_email(clock, kind: str, *, today: date) -> dict:
    """The agency leads' reminder: what is asked, the due date and their request page; the
    case reference and pseudonym, never identifiers."""
    asked = clock.information_request
    return {
        "agency": asked.agency.name,
        "details": asked.details or "A summary of your agency's involvement",
        "reference": clock.case.reference,
        "pseudonym": clock.case.pseudonym,
        "due": calendar.format_date(clock.due_date),
        "due_today": kind == DUE,
        "days_left": None if kind == DUE else calendar.working_days_between(today, clock.due_date),
        "link": absolute_url(reverse("reviews:agency_request", args=[asked.pk])),
    }


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
        # An agency's summary is also the agency's own work: its leads are reminded too.
        leads = (
            agency_lead_emails(clock.information_request.agency_id)
            if (clock.information_request_id)
            else []
        )
        if not to and not leads:
            logger.warning("No business unit to remind for partnership %s", clock.partnership_id)
            continue
        template, context = reminder_email(clock, kind, today=today)
        # Recorded and queued together: the email is queued for the worker only once the
        # record commits, and a record that fails queues nothing.
        with transaction.atomic():
            if services.reminder_record(auditor=auditor, clock=clock, kind=kind) is None:
                continue
            if to:
                notify(
                    to=to, template=template, context=context, reference=f"clock {clock.pk} {kind}"
                )
            if leads:
                notify(
                    to=leads,
                    template=AGENCY_REMINDER_NOTICE,
                    context=agency_reminder_email(clock, kind, today=today),
                    reference=f"clock {clock.pk} {kind} agency",
                )
        sent += 1
    return sent
