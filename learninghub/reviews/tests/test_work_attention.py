"""Needs attention shows the work, not only the statute: the Panel's answer awaited, a reviewer
to appoint, a hold the Panel has not been told about, summaries still out after the rapid
review went, and milestones past their planned date. Each goes when the work is done."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from learninghub.core import calendar
from learninghub.core.deadlines import Status
from learninghub.core.tests.html import visible_text
from learninghub.reviews import services
from learninghub.reviews.models import Milestone, MilestoneKind
from learninghub.reviews.tests.factories import SYSTEM, decided_case, notified_case, reviewed_case

from .test_deadlines import reviews_source

pytestmark = pytest.mark.usefixtures("frozen_clock")

DASHBOARD = reverse("core:needs_attention")


def work(world, kind, role="business_unit"):
    found = reviews_source().open_deadlines(world.user(role), today=date.today())
    return [d for d in found if d.kind == kind]


def test_panel_response_awaited_with_the_days_waited(world, client_for):
    case = decided_case(world.partnership)  # sent to the Panel on 23 December 2025
    sent = date(2025, 12, 23)
    waited = calendar.working_days_between(sent, date.today())
    (item,) = work(world, "panel_response")
    assert item.title == f"Panel response awaited: {waited} working days"
    assert item.due == calendar.add_working_days(sent, 10)
    assert item.status == Status.OVERDUE
    assert "10 working days" in item.rule
    assert item.record_url == reverse("reviews:rapid_review", args=[case.pk])
    assert work(world, "panel_response", role="case_review_group")
    assert not work(world, "panel_response", role="other_business_unit")
    assert item.title in visible_text(client_for("business_unit").get(DASHBOARD))

    services.rapid_review_update(
        auditor=SYSTEM, case=case, panel_response="agrees", panel_response_on=date(2026, 1, 5)
    )
    assert not work(world, "panel_response")


def test_reviewer_not_yet_appointed(world):
    case = reviewed_case(world.partnership)  # decision 12 January 2026, no reviewer
    (item,) = work(world, "reviewer_appointment")
    assert item.title == "Independent reviewer not yet appointed"
    assert item.due == calendar.add_working_days(date(2026, 1, 12), 10)
    assert item.rule == (
        "Appoint within 10 working days of the decision to review on 12 January 2026"
    )
    services.practice_review_update(
        auditor=SYSTEM,
        review=case.practice_review,
        independent_reviewer=world.user("independent_reviewer"),
    )
    assert not work(world, "reviewer_appointment")


def test_hold_not_told_to_the_panel(world):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    hold = {"reason": "Awaiting a criminal trial", "started_on": date(2026, 1, 20)}
    services.practice_review_hold(
        auditor=SYSTEM, review=case.practice_review, panel_told_on=None, **hold
    )
    (item,) = work(world, "hold_panel_told")
    assert item.title == "Hold not told to the Panel"
    assert item.due == date(2026, 1, 20)
    assert item.status == Status.OVERDUE
    case.practice_review.refresh_from_db()
    services.practice_review_hold(
        auditor=SYSTEM, review=case.practice_review, panel_told_on=date(2026, 1, 21), **hold
    )
    assert not work(world, "hold_panel_told")


def test_summaries_outstanding_after_the_rapid_review_was_sent(world):
    case = notified_case(world.partnership, agencies=[world.agency])
    asked = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    assert not work(world, "summaries_after_rapid_review")  # not sent yet
    services.rapid_review_update(
        auditor=SYSTEM,
        case=case,
        meeting_date=date(2025, 12, 18),
        partners_signed_off_on=date(2025, 12, 22),
        decision="no_further_review",
        decision_reasons="The learning is already in hand",
        sent_to_panel_on=date(2025, 12, 23),
    )
    (item,) = work(world, "summaries_after_rapid_review")
    assert item.title == (
        f"Agency summaries outstanding after the rapid review was sent: {world.agency.name}"
    )
    services.information_request_return(auditor=SYSTEM, request=asked, returned_on=date(2026, 1, 6))
    assert not work(world, "summaries_after_rapid_review")


def test_milestone_overdue(world):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    milestone = Milestone.objects.create(
        practice_review=case.practice_review,
        kind=MilestoneKind.PRACTITIONER_EVENT,
        title="Practitioner event",
        planned_on=date(2026, 2, 2),
    )
    Milestone.objects.create(
        practice_review=case.practice_review,
        kind=MilestoneKind.OTHER,
        title="Far off",
        planned_on=date.today().replace(year=date.today().year + 1),
    )
    (item,) = work(world, "milestone")
    assert item.title == "Milestone overdue: Practitioner event"
    assert item.due == date(2026, 2, 2)
    Milestone.objects.filter(pk=milestone.pk).update(actual_on=date(2026, 2, 3))
    assert not work(world, "milestone")


def test_a_case_recorded_in_error_never_appears(world):
    case = decided_case(world.partnership)
    services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 12)
    )
    assert work(world, "panel_response") and work(world, "reviewer_appointment")
    services.case_recorded_in_error(auditor=SYSTEM, case=case, reason="Opened twice")
    assert reviews_source().open_deadlines(world.user("business_unit"), today=date.today()) == []


def _busy(world, n: int, prefix: str) -> None:
    for i in range(n):
        case = reviewed_case(world.partnership, reference=f"{prefix}-{i}", agencies=[world.agency])
        Milestone.objects.create(
            practice_review=case.practice_review,
            kind=MilestoneKind.OTHER,
            title=f"Step {i}",
            planned_on=date(2026, 2, 2),
        )
        services.practice_review_hold(
            auditor=SYSTEM,
            review=case.practice_review,
            reason="Trial",
            started_on=date(2026, 1, 20),
            panel_told_on=None,
        )


def test_needs_attention_costs_the_same_whatever_the_work(
    world, client_for, django_assert_max_num_queries
):
    from .test_dashboard_views import queries_for

    client = client_for("business_unit")
    _busy(world, 1, "FEW")
    few = queries_for(client, DASHBOARD)
    with django_assert_max_num_queries(17):  # includes writing the read event
        client.get(DASHBOARD)
    _busy(world, 6, "MANY")
    assert queries_for(client, DASHBOARD) == few
    with django_assert_max_num_queries(17):
        client.get(DASHBOARD)
