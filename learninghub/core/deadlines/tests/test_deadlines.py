"""The deadlines registry: an app that contributes deadlines shows on one "Needs attention"
page, counts first, soonest first, to the people it says may see them; and its reminders go
once a day however many times the daily job runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from learninghub.core import deadlines
from learninghub.core.audit.models import AuditEvent
from learninghub.core.deadlines import Deadline, Status, services
from learninghub.core.deadlines.models import ReminderRun
from learninghub.core.deadlines.tasks import send_all_reminders, send_deadline_reminders

NEEDS_ATTENTION = reverse("core:needs_attention")
# A Wednesday with no bank holiday near it: "due soon" and "on track" are plain to work out.
TODAY = date(2026, 6, 10)


@dataclass
class ActionPlans:
    """A stand-in for an app to come: its deadlines are the practitioner's."""

    name: str = "actions"
    sent_on: list = field(default_factory=list)
    fail: bool = False

    def applies_to(self, user) -> bool:
        return user.is_authenticated and user.email == "practitioner@example.org"

    def open_deadlines(self, user, *, today):
        def action(label, due, on_hold=False, reason=""):
            return Deadline(
                title="Action due",
                record_label=label,
                record_url=f"/actions/{label}/",
                due=due,
                rule="Agreed at the partnership meeting",
                status=deadlines.status_for(due, today=today, on_hold=on_hold),
                source=self.name,
                kind="action",
                partnership_id=1,
                record_detail=f"Plan for {label}",
                hold_reason=reason,
            )

        return [
            action("ACT-LATER", today + timedelta(days=30)),
            action("ACT-HELD", today + timedelta(days=5), on_hold=True, reason="Awaiting a trial"),
            action("ACT-LATE", today - timedelta(days=2)),
            action("ACT-SOON", today + timedelta(days=1)),
        ]

    def send_reminders(self, today) -> int:
        if self.fail:
            raise RuntimeError("the mail relay is down")
        self.sent_on.append(today)
        return 2

    def links(self, user):
        return [("Action plan guidance", "/actions/guidance/")]


@pytest.fixture
def actions():
    source = ActionPlans()
    deadlines.register(source)
    yield source
    deadlines.unregister(source.name)


@pytest.fixture
def on_today():
    with time_machine.travel(
        timezone.make_aware(timezone.datetime(2026, 6, 10, 10, 0)), tick=False
    ):
        yield


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def count(page: BeautifulSoup, name: str) -> str:
    return page.find(id=f"count-{name}").find("span").get_text(strip=True)


# The page ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("on_today")
class TestNeedsAttention:
    def test_a_contributing_app_shows_with_its_counts(self, world, client_for, actions):
        response = client_for("practitioner").get(NEEDS_ATTENTION)

        assert response.status_code == 200
        page = soup(response)
        assert count(page, "overdue") == "1"
        assert count(page, "due-soon") == "1"
        assert count(page, "open") == "3"
        assert count(page, "on-hold") == "1"
        assert "Action plan guidance" in page.get_text()

    def test_counts_lead_overdue_first_then_the_list_soonest_first(
        self, world, client_for, actions
    ):
        page = soup(client_for("practitioner").get(NEEDS_ATTENTION))

        counts = [p["id"] for p in page.select("#counts p")]
        assert counts == ["count-overdue", "count-due-soon", "count-open", "count-on-hold"]
        open_table, held_table = page.find_all("table")
        assert page.find(id="counts").find_next("table") is open_table
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in open_table.tbody.find_all("tr")
        ]
        assert [row[0] for row in rows] == [
            "ACT-LATE Plan for ACT-LATE",
            "ACT-SOON Plan for ACT-SOON",
            "ACT-LATER Plan for ACT-LATER",
        ]
        assert [row[3] for row in rows] == ["Overdue", "Due soon", "On track"]
        assert rows[0][2] == "8 June 2026 Agreed at the partnership meeting"
        assert open_table.find("a")["href"] == "/actions/ACT-LATE/"
        held = held_table.tbody.get_text(" ", strip=True)
        assert "ACT-HELD" in held and "Awaiting a trial" in held

    def test_only_people_the_app_names_see_its_deadlines(self, world, client_for, actions):
        # The practitioner saw no "Needs attention" before an app gave them deadlines; the
        # agency lead and the system administrator still have none.
        for role in ("agency_lead", "system_admin"):
            assert client_for(role).get(NEEDS_ATTENTION).status_code == 404
        body = client_for("business_unit").get(NEEDS_ATTENTION).content.decode()
        assert "ACT-LATE" not in body

    def test_without_the_app_nobody_new_sees_the_page(self, world, client_for):
        assert client_for("practitioner").get(NEEDS_ATTENTION).status_code == 404

    def test_the_navigation_links_to_it_for_those_who_see_it(self, world, client_for, actions):
        dashboard = reverse("core:dashboard")
        assert NEEDS_ATTENTION in client_for("practitioner").get(dashboard).content.decode()
        assert NEEDS_ATTENTION not in client_for("agency_lead").get(dashboard).content.decode()

    def test_reading_it_is_audited(self, world, client_for, actions):
        client_for("practitioner").get(NEEDS_ATTENTION)
        event = AuditEvent.objects.get(action="core.needs_attention.read")
        assert event.actor == world.user("practitioner")


def test_status_follows_the_statutory_calendar():
    # Friday 29 May 2026: Monday 1 June to Wednesday 3 June is 3 working days.
    friday = date(2026, 5, 29)
    assert deadlines.status_for(date(2026, 6, 3), today=friday) == Status.DUE_SOON
    assert deadlines.status_for(date(2026, 6, 4), today=friday) == Status.ON_TRACK
    assert deadlines.status_for(date(2026, 5, 28), today=friday) == Status.OVERDUE
    assert deadlines.status_for(date(2026, 5, 28), today=friday, on_hold=True) == Status.ON_HOLD


# The daily reminders ----------------------------------------------------------------------


def test_the_reminders_go_once_a_day_however_often_the_job_runs(db, actions):
    assert send_all_reminders(today=TODAY) == 2
    assert send_all_reminders(today=TODAY) == 0

    assert actions.sent_on == [TODAY]
    run = ReminderRun.objects.get(source="actions")
    assert (run.source, run.day, run.sent) == ("actions", TODAY, 2)
    assert run.finished_at is not None

    assert send_all_reminders(today=TODAY + timedelta(days=1)) == 2
    assert actions.sent_on == [TODAY, TODAY + timedelta(days=1)]


@pytest.mark.usefixtures("on_today")
def test_the_worker_task_runs_every_source_once(db, actions):
    """Through the worker's entry point (the test settings run tasks at once)."""
    first = send_deadline_reminders.enqueue()
    second = send_deadline_reminders.enqueue()

    assert actions.sent_on == [TODAY]
    assert first.return_value >= 2  # the reviews app's, if any, as well
    assert second.return_value == 0


def test_a_failing_source_does_not_stop_the_others_and_is_tried_again(db, actions):
    broken = ActionPlans(name="briefings", fail=True)
    deadlines.register(broken)
    try:
        with pytest.raises(RuntimeError, match="briefings"):
            send_all_reminders(today=TODAY)
        assert actions.sent_on == [TODAY]
        assert not ReminderRun.objects.filter(source="briefings").exists()
        assert AuditEvent.objects.filter(action="core.reminder_run.failed").count() == 1

        broken.fail = False
        assert send_all_reminders(today=TODAY) == 2  # only the briefings, this time
        assert broken.sent_on == [TODAY]
        assert actions.sent_on == [TODAY]
    finally:
        deadlines.unregister("briefings")


def test_a_day_already_claimed_is_not_claimed_again(db):
    auditor = services.Auditor.for_system("deadline reminders")
    assert services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)
    assert services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY) is None
    event = AuditEvent.objects.get(action="core.reminder_run.started")
    assert event.actor_label == "system: deadline reminders"


# A claim left by a worker killed mid-run ---------------------------------------------------


class Killed(BaseException):
    """The worker killed mid-run (SIGKILL, a deployment): nothing of the run's own error
    handling runs, so its claim on the day is neither finished nor given back."""


@dataclass
class KilledMidRun(ActionPlans):
    """A source whose first run is killed before it finishes; later runs go through."""

    killed: bool = True

    def send_reminders(self, today) -> int:
        if self.killed:
            self.killed = False
            raise Killed
        return super().send_reminders(today)


SEVEN_AM = timezone.make_aware(timezone.datetime(2026, 6, 10, 7, 0))


def test_a_claim_a_killed_worker_left_is_taken_over_after_the_timeout(db, settings):
    settings.DEADLINE_REMINDERS_CLAIM_TIMEOUT = timedelta(hours=1)
    source = KilledMidRun()
    deadlines.register(source)
    try:
        with time_machine.travel(SEVEN_AM, tick=False) as clock:
            with pytest.raises(Killed):
                send_all_reminders(today=TODAY)
            run = ReminderRun.objects.get(source="actions")
            assert run.finished_at is None

            # Within the hour the claim may be a worker still sending: nothing goes.
            clock.shift(timedelta(minutes=59))
            assert send_all_reminders(today=TODAY) == 0
            assert source.sent_on == []

            clock.shift(timedelta(minutes=2))
            assert send_all_reminders(today=TODAY) == 2
            assert source.sent_on == [TODAY]
            run.refresh_from_db()
            assert run.started_at == SEVEN_AM + timedelta(minutes=61)
            assert (run.sent, run.finished_at) == (2, SEVEN_AM + timedelta(minutes=61))

            # Finished: never taken over again, however late.
            clock.shift(timedelta(hours=5))
            assert send_all_reminders(today=TODAY) == 0
            assert source.sent_on == [TODAY]
    finally:
        deadlines.unregister("actions")

    event = AuditEvent.objects.get(action="core.reminder_run.taken_over")
    assert event.actor_label == "system: deadline reminders"
    assert event.summary == (
        "Took over the actions deadline reminders for 10 June 2026, left unfinished since 07:00"
    )
    finished = AuditEvent.objects.filter(action="core.reminder_run.finished")
    assert [e.summary for e in finished if " actions " in e.summary] == [
        "Sent 2 actions deadline reminders for 10 June 2026"
    ]


def test_the_timeout_is_a_setting(db, settings):
    settings.DEADLINE_REMINDERS_CLAIM_TIMEOUT = timedelta(minutes=10)
    auditor = services.Auditor.for_system("deadline reminders")
    with time_machine.travel(SEVEN_AM, tick=False) as clock:
        assert services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)
        clock.shift(timedelta(minutes=9))
        assert services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY) is None
        clock.shift(timedelta(minutes=2))
        assert services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)


def test_two_runs_that_see_the_same_stale_claim_cannot_both_take_it_over(db):
    auditor = services.Auditor.for_system("deadline reminders")
    with time_machine.travel(SEVEN_AM, tick=False) as clock:
        services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)
        clock.shift(timedelta(hours=2))
        # Both runs read the row before either writes: each holds the same stale claim.
        seen_by_first = ReminderRun.objects.get(source="actions")
        seen_by_second = ReminderRun.objects.get(source="actions")
        assert services._take_over_if_stale(auditor=auditor, run=seen_by_first)
        clock.shift(timedelta(seconds=1))
        assert services._take_over_if_stale(auditor=auditor, run=seen_by_second) is None

    assert ReminderRun.objects.get(source="actions").started_at == SEVEN_AM + timedelta(hours=2)
    assert AuditEvent.objects.filter(action="core.reminder_run.taken_over").count() == 1


def test_a_slow_run_whose_claim_was_taken_over_leaves_it_to_the_later_run(db):
    auditor = services.Auditor.for_system("deadline reminders")
    with time_machine.travel(SEVEN_AM, tick=False) as clock:
        slow = services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)
        clock.shift(timedelta(hours=2))
        later = services.reminder_run_claim(auditor=auditor, source="actions", day=TODAY)
        assert later is not None

        # The slow run ends, well or badly, while the later one is still sending.
        services.reminder_run_finish(auditor=auditor, run=slow, sent=3)
        services.reminder_run_release(auditor=auditor, run=slow)
        run = ReminderRun.objects.get(source="actions")
        assert (run.finished_at, run.sent) == (None, 0)

        services.reminder_run_finish(auditor=auditor, run=later, sent=1)
    run.refresh_from_db()
    assert (run.finished_at, run.sent) == (SEVEN_AM + timedelta(hours=2), 1)
    assert not AuditEvent.objects.filter(action="core.reminder_run.failed").exists()
    assert AuditEvent.objects.filter(action="core.reminder_run.finished").count() == 1
