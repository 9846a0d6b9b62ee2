"""The reviews app's part of the deadlines registry: its case clocks on "Needs attention" and
its reminders through the core's one daily job."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from learninghub.core import deadlines
from learninghub.core.audit.models import AuditEvent
from learninghub.core.deadlines import Status
from learninghub.core.deadlines.tasks import send_all_reminders
from learninghub.reviews import services
from learninghub.reviews.models import ReminderSent
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case

from .test_dashboard_views import notify, queries_for, wd_ago

pytestmark = pytest.mark.usefixtures("frozen_clock")

# Aware Monday 2 June 2025: the notification is due Monday 9 June 2025; Wednesday 4 June is 3
# working days before.
AWARE = date(2025, 6, 2)
THREE_BEFORE = date(2025, 6, 4)


def reviews_source():
    (source,) = [s for s in deadlines.sources() if s.name == "reviews"]
    return source


def test_the_old_address_goes_to_the_one_page(world, client_for):
    response = client_for("business_unit").get(reverse("reviews:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:needs_attention")


def test_the_case_clocks_are_the_case_teams_and_scoped_to_their_partnership(world):
    notify(world.partnership, "ND-1", aware=wd_ago(10), pseudonym="Child Late")
    notify(world.other_partnership, "EAST-1", aware=wd_ago(10))
    held = reviewed_case(world.partnership, reference="ND-2")
    services.practice_review_hold(
        auditor=SYSTEM,
        review=held.practice_review,
        reason="Awaiting the outcome of a criminal trial",
        started_on=date(2026, 1, 20),
        panel_told_on=None,
    )
    source = reviews_source()
    today = date.today()

    assert source.applies_to(world.user("case_review_group"))
    for role in ("practitioner", "agency_lead", "independent_reviewer", "system_admin"):
        assert not source.applies_to(world.user(role)), role

    found = source.open_deadlines(world.user("business_unit"), today=today)
    labels = {d.record_label for d in found}
    assert "ND-1" in labels and "ND-2" in labels
    assert "EAST-1" not in labels
    late = next(d for d in found if d.record_label == "ND-1")
    assert late.status == Status.OVERDUE
    assert late.title == "Notification to the Panel"
    assert late.record_detail == "Child Late"
    assert late.record_url == reverse("reviews:case_detail", args=[late_case_pk(world)])
    on_hold = [d for d in found if d.status == Status.ON_HOLD]
    assert [d.hold_reason for d in on_hold] == ["Awaiting the outcome of a criminal trial"]

    other = source.open_deadlines(world.user("other_business_unit"), today=today)
    assert {d.record_label for d in other} == {"EAST-1"}


def late_case_pk(world) -> int:
    from learninghub.reviews.models import Case

    return Case.objects.get(reference="ND-1").pk


def test_the_daily_job_sends_the_case_reminders_once(world):
    notify(world.partnership, "ND-2025-007", aware=AWARE, pseudonym="Child G")

    send_all_reminders(today=THREE_BEFORE)
    send_all_reminders(today=THREE_BEFORE)

    assert ReminderSent.objects.count() == 1
    assert AuditEvent.objects.filter(action="reviews.reminder.sent").count() == 1


def test_needs_attention_costs_the_same_for_many_clocks(
    world, client_for, django_assert_max_num_queries
):
    from .test_dashboard_views import bulk_clocks

    client = client_for("business_unit")
    bulk_clocks(world.partnership, 2, prefix="FEW")
    few = queries_for(client, reverse("core:needs_attention"))
    bulk_clocks(world.partnership, 250, prefix="MANY")
    bulk_clocks(world.partnership, 5, prefix="HELD", suspended=True, suspended_reason="Trial")
    assert queries_for(client, reverse("core:needs_attention")) == few
    # includes writing the read event, and the four queries of the work waiting
    with django_assert_max_num_queries(17):
        client.get(reverse("core:needs_attention"))
