"""Deadline reminders: 3 working days before and on the due date, once each, to the business
unit, saying which deadline and rule, never who the child is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learninghub.core import calendar
from learninghub.core.audit.models import AuditEvent
from learninghub.core.deadlines.models import ReminderRun
from learninghub.core.deadlines.tasks import (
    TASK_PATH,
    next_run_at,
    schedule_next_run,
    send_all_reminders,
    send_deadline_reminders,
)
from learninghub.partnerships.selectors import business_unit_emails
from learninghub.reviews import services
from learninghub.reviews.models import Clock, ReminderSent
from learninghub.reviews.tasks import send_reminders
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case

from .test_dashboard_views import IDENTIFIERS, notify, set_identifiers

# Aware Monday 2 June 2025: the notification is due Monday 9 June 2025.
AWARE = date(2025, 6, 2)
DUE = date(2025, 6, 9)
THREE_BEFORE = date(2025, 6, 4)  # Wednesday: Thursday, Friday, Monday remain
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _each_reminder_commits(monkeypatch):
    """Each reminder is recorded in its own transaction, whose commit queues its email
    (core.notify). The test's enclosing transaction never commits, so here the email is
    queued as the reminder's work ends instead; the test settings run queued tasks at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def case(world):
    case = notify(world.partnership, "ND-2025-007", aware=AWARE, pseudonym="Child G")
    set_identifiers(case)
    return case


def test_the_dates_are_as_the_tests_assume():
    assert calendar.due_date("notification", AWARE) == DUE
    assert calendar.working_days_between(THREE_BEFORE, DUE) == 3


def test_a_reminder_goes_3_working_days_before(world, case):
    assert send_reminders(today=THREE_BEFORE) == 1

    (email,) = mail.outbox
    assert email.to == ["bu@example.org"]
    assert email.subject == "Due in 3 working days: Notification to the Panel for ND-2025-007"
    assert "ND-2025-007 (Child G)" in email.body
    assert "is due in 3 working days, on 9 June 2025" in email.body
    assert "Rule: 5 working days from becoming aware on 2 June 2025." in email.body
    assert f"/reviews/cases/{case.pk}/" in email.body
    assert ReminderSent.objects.get().kind == "before"


def test_a_reminder_goes_on_the_due_date(world, case):
    assert send_reminders(today=DUE) == 1
    (email,) = mail.outbox
    assert email.subject == "Due today: Notification to the Panel for ND-2025-007"
    assert "is due today, 9 June 2025" in email.body


def test_nothing_is_sent_on_other_days(world, case):
    for day in (date(2025, 6, 3), date(2025, 6, 10)):
        assert send_reminders(today=day) == 0
    assert mail.outbox == []


def test_each_reminder_goes_once(world, case):
    send_reminders(today=THREE_BEFORE)
    assert send_reminders(today=THREE_BEFORE) == 0  # the same day again
    assert send_reminders(today=date(2025, 6, 5)) == 0  # 2 working days left: already sent
    send_reminders(today=DUE)
    assert send_reminders(today=DUE) == 0
    assert [e.subject.split(":")[0] for e in mail.outbox] == ["Due in 3 working days", "Due today"]
    assert ReminderSent.objects.count() == 2


def test_a_missed_before_reminder_still_goes_while_days_remain(world, case):
    assert send_reminders(today=date(2025, 6, 6)) == 1  # Friday: 1 working day left
    assert mail.outbox[0].subject.startswith("Due in 1 working day:")


def test_no_reminder_for_a_met_deadline(world):
    notify(world.partnership, "ND-2025-008", aware=AWARE, sent=date(2025, 6, 4))
    assert Clock.objects.get(kind="notification").done_on is not None
    assert send_reminders(today=THREE_BEFORE) == 0
    assert send_reminders(today=DUE) == 0
    assert mail.outbox == []


def test_no_reminder_for_a_deadline_on_hold(world):
    review = reviewed_case(world.partnership).practice_review
    services.practice_review_hold(
        auditor=SYSTEM,
        review=review,
        reason="Awaiting the outcome of a criminal trial",
        started_on=date(2026, 1, 20),
        panel_told_on=None,
    )
    clock = Clock.objects.get(kind="publication")
    assert clock.suspended and clock.done_on is None
    assert send_reminders(today=calendar.subtract_working_days(clock.due_date, 3)) == 0
    assert send_reminders(today=clock.due_date) == 0
    assert mail.outbox == []


def test_the_email_never_carries_identifiers(world, case):
    send_reminders(today=THREE_BEFORE)
    send_reminders(today=DUE)
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        for value in IDENTIFIERS.values():
            assert value not in email.subject
            assert value not in email.body


def test_only_the_case_partnerships_business_unit_is_emailed(world, case):
    notify(world.other_partnership, "EAST-2025-001", aware=AWARE)
    send_reminders(today=THREE_BEFORE)
    recipients = {tuple(e.to): e.subject for e in mail.outbox}
    assert recipients[("bu@example.org",)].endswith("ND-2025-007")
    assert recipients[("other.bu@example.org",)].endswith("EAST-2025-001")
    assert business_unit_emails(world.partnership.pk) == ["bu@example.org"]


def test_the_reminder_is_audited_as_the_system_job(world, case):
    send_reminders(today=THREE_BEFORE)
    event = AuditEvent.objects.get(action="reviews.reminder.sent")
    assert event.actor is None
    assert event.actor_label == "system: deadline reminders"
    assert event.partnership_id == world.partnership.pk
    assert "ND-2025-007" in event.summary
    assert "Child G" not in event.summary


def test_an_agency_summary_reminder_names_the_agency(world):
    case = notify(world.partnership, "ND-2025-009", aware=AWARE, sent=date(2025, 6, 4))
    request = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 6, 5)
    )
    send_reminders(today=request.due_on)
    subjects = [e.subject for e in mail.outbox]
    assert "Due today: Agency summary from Northdale Police for ND-2025-009" in subjects


# The background task --------------------------------------------------------------------


@pytest.mark.usefixtures("frozen_clock")  # the task works out "today" again
def test_the_task_sends_todays_reminders(world):
    """Through the worker's entry point (the test settings run tasks at once)."""
    today = timezone.localdate()
    aware = next(
        today - timedelta(days=n)
        for n in range(15)
        if calendar.working_days_between(
            today, calendar.due_date("notification", today - timedelta(days=n))
        )
        == 3
    )
    notify(world.partnership, "ND-2025-010", aware=aware)

    result = send_deadline_reminders.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert mail.outbox[0].subject.endswith("ND-2025-010")


def test_the_next_run_is_7am_uk_time_tomorrow():
    # The night the clocks go forward: 07:00 BST is 06:00 UTC.
    assert next_run_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == datetime(
        2026, 3, 29, 6, 0, tzinfo=UTC
    )
    # Half past midnight on 2 July in the UK (still 1 July in UTC): tomorrow is 3 July.
    assert next_run_at(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == datetime(
        2026, 7, 3, 6, 0, tzinfo=UTC
    )
    assert next_run_at(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) == datetime(
        2026, 12, 2, 7, 0, tzinfo=UTC
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_the_next_run_is_queued_once(db):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert schedule_next_run(now=now) is True
    assert schedule_next_run(now=now) is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == TASK_PATH
    assert queued.status == TaskResultStatus.READY
    assert queued.run_after == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_the_immediate_backend_never_queues_a_next_run(db):
    assert schedule_next_run() is False
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_schedule_reminders_queues_the_first_run_once(db):
    call_command("schedule_reminders")
    call_command("schedule_reminders")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == TASK_PATH
    assert queued.status == TaskResultStatus.READY


@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_run_queues_the_next(world, case):
    """What the worker does with the queued task: run it, then it queues tomorrow's."""
    call_command("schedule_reminders")
    first = DBTaskResult.objects.get()
    first.status = TaskResultStatus.RUNNING
    first.save()
    first.task.call()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now()


def test_a_case_without_a_business_unit_sends_nothing(world):
    world.user("business_unit").memberships.update(ended_at=timezone.now())
    notify(world.partnership, "ND-2025-012", aware=AWARE)
    assert send_reminders(today=THREE_BEFORE) == 0
    assert not ReminderSent.objects.exists()


# A run killed part-way ------------------------------------------------------------------


class Killed(BaseException):
    """The worker killed mid-run (SIGKILL, a deployment): no error handling of the run's own
    runs, so its claim on the day is neither finished nor given back."""


def test_a_run_killed_part_way_is_finished_once_by_a_later_run(world, case, monkeypatch):
    """Each reminder is recorded as it goes, so the run that takes the killed run's claim over
    (after DEADLINE_REMINDERS_CLAIM_TIMEOUT) sends only the ones not yet sent, once."""
    notify(world.partnership, "ND-2025-011", aware=AWARE)
    record = services.reminder_record

    def killed_before_the_second(**kwargs):
        if ReminderSent.objects.exists():
            raise Killed
        return record(**kwargs)

    monkeypatch.setattr(services, "reminder_record", killed_before_the_second)
    seven_am = timezone.make_aware(datetime(2025, 6, 9, 7, 0))
    with time_machine.travel(seven_am, tick=False) as clock:
        with pytest.raises(Killed):
            send_all_reminders(today=DUE)
        assert len(mail.outbox) == 1
        monkeypatch.setattr(services, "reminder_record", record)  # the next worker is well

        clock.shift(timedelta(minutes=30))  # the killed run might still be sending
        send_all_reminders(today=DUE)
        assert len(mail.outbox) == 1

        clock.shift(timedelta(minutes=31))
        send_all_reminders(today=DUE)
        clock.shift(timedelta(hours=3))
        send_all_reminders(today=DUE)

    assert sorted(e.subject for e in mail.outbox) == [
        "Due today: Notification to the Panel for ND-2025-007",
        "Due today: Notification to the Panel for ND-2025-011",
    ]
    assert ReminderSent.objects.filter(kind="due").count() == 2
    assert ReminderRun.objects.get(source="reviews", day=DUE).sent == 1
    assert AuditEvent.objects.filter(action="core.reminder_run.taken_over").count() == 1
