"""`manage.py run_daily_jobs`: every job in DAILY_JOBS once, each reported, one failure not
stopping the others, and a failing exit so the timer that runs it raises the alarm."""

from __future__ import annotations

import logging
from io import StringIO

from django.conf import settings as django_settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REMINDERS_TASK = "learninghub.core.deadlines.tasks.send_deadline_reminders"


def run(**settings):
    out, err = StringIO(), StringIO()
    with override_settings(TASKS=DATABASE_TASKS, **settings):
        try:
            call_command("run_daily_jobs", stdout=out, stderr=err)
        except CommandError as exc:
            return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def reminders_queued() -> int:
    return DBTaskResult.objects.filter(
        task_path=REMINDERS_TASK, status=TaskResultStatus.READY
    ).count()


def test_the_daily_jobs_are_the_reminders_and_the_audit_anchor():
    assert django_settings.DAILY_JOBS == ["schedule_reminders", "anchor_audit_log"]


def test_every_daily_job_is_a_command_that_exists():
    commands = get_commands()
    for name in django_settings.DAILY_JOBS:
        assert name in commands, f"DAILY_JOBS names {name}, which is not a management command"


def test_each_job_runs_once_and_is_reported(db):
    out, err, failure = run(DAILY_JOBS=["schedule_reminders"])

    assert failure is None
    assert reminders_queued() == 1
    assert "schedule_reminders: done in" in out
    assert "All 1 daily jobs succeeded" in out
    assert err == ""


def test_running_it_again_the_same_day_queues_nothing_twice(db):
    run(DAILY_JOBS=["schedule_reminders"])
    out, _, failure = run(DAILY_JOBS=["schedule_reminders"])

    assert failure is None
    assert reminders_queued() == 1
    assert "already scheduled" in out


def test_a_failing_job_does_not_stop_the_others_and_the_command_fails(db, caplog):
    caplog.set_level(logging.INFO, logger="learninghub.jobs")

    # An unknown command, and one that refuses to run without its arguments.
    out, err, failure = run(DAILY_JOBS=["no_such_job", "statutory_deadline", "schedule_reminders"])

    assert reminders_queued() == 1, "the job after the failures still ran"
    assert "schedule_reminders: done in" in out
    assert "no_such_job: failed: Unknown command: 'no_such_job'" in err
    assert "statutory_deadline: failed:" in err
    assert failure is not None
    assert str(failure) == "2 of 3 daily jobs failed: no_such_job, statutory_deadline"
    failed = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(m.startswith("Daily job no_such_job failed") for m in failed)
    assert any(m.startswith("Daily job statutory_deadline failed") for m in failed)
    assert any(
        r.levelno == logging.INFO and "schedule_reminders succeeded" in r.getMessage()
        for r in caplog.records
    )


def test_no_jobs_is_a_success(db):
    out, _, failure = run(DAILY_JOBS=[])
    assert failure is None
    assert "All 0 daily jobs succeeded" in out
