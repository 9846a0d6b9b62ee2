"""The forward plan's pages (issue 8): the milestones page, recording dates (the business unit
and the review's own independent reviewer), adding and removing the business unit's own
milestones, revised publication dates, holds released with their date, late publication
with its reason, the published report, and the 7-working-day rule on the real dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from learninghub.core.permissions import Role
from learninghub.core.tests.html import error_summary, table_rows, visible_text
from learninghub.partnerships.tests.factories import member
from learninghub.reviews import services
from learninghub.reviews.models import Milestone, MilestoneKind
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case
from learninghub.reviews.tests.milestone_helpers import final_report, milestone, sign_off
from learninghub.reviews.tests.permission_rows_milestones import _named

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return visible_text(response).replace(" :", ":")


def when(name: str, value: date | None) -> dict:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def url(name: str, case, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": case.pk, **kwargs})


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


@pytest.fixture
def case(world):
    return _named(world)


def test_the_plan_shows_every_milestone_and_the_statutory_dates(case, bu):
    review = case.practice_review
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.TERMS_AGREED),
        planned_on=date(2026, 1, 26),
        actual_on=date(2026, 1, 27),
    )
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.PRACTITIONER_EVENT),
        planned_on=date(2026, 2, 27),
    )
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.DRAFT_TO_PARTNERS),
        planned_on=date(2099, 3, 2),
    )
    services.practice_review_update(
        auditor=SYSTEM, review=review, planned_publication_on=date(2026, 6, 26)
    )

    page = bu.get(url("milestones", case))

    assert page.status_code == 200
    rows = table_rows(page)
    assert [row[:4] for row in rows] == [
        ["Terms of reference agreed", "26 January 2026", "27 January 2026", "Done"],
        ["Practitioner event", "27 February 2026", "Not yet", "Overdue"],
        ["Draft to partners", "2 March 2099", "Not yet", "Planned"],
        ["Partners' sign-off", "Not planned", "Not yet", "Not planned"],
        ["To the Panel and the Secretary of State", "17 June 2026", "Not yet", rows[4][3]],
        ["Publication", "26 June 2026", "Not yet", rows[5][3]],
    ]
    assert rows[4][4] == "Statutory: on the practice review"
    assert "Add a milestone" in text(page)


def test_the_milestones_page_has_a_constant_number_of_queries(
    world, case, bu, django_assert_max_num_queries
):
    few = bu.get(url("milestones", case))
    for n in range(20):
        services.milestone_add(auditor=SYSTEM, review=case.practice_review, title=f"Step {n}")
    with django_assert_max_num_queries(13):
        many = bu.get(url("milestones", case))
    assert len(table_rows(many)) == len(table_rows(few)) + 20


def test_the_business_unit_records_planned_and_actual_dates_with_errors_named(case, bu):
    terms = milestone(case.practice_review, MilestoneKind.TERMS_AGREED)
    page = bu.post(
        url("milestone_record", case, milestone_pk=terms.pk),
        {**when("planned_on", date(2099, 1, 5)), **when("actual_on", date(2099, 1, 5))},
    )

    assert error_summary(page) == [
        ("#actual_on_day", "The date it happened must be today or in the past")
    ]
    terms.refresh_from_db()
    assert terms.planned_on is None  # nothing half-saved

    page = bu.post(
        url("milestone_record", case, milestone_pk=terms.pk),
        {**when("planned_on", date(2099, 1, 5)), **when("actual_on", None)},
    )
    assert page.status_code == 302
    terms.refresh_from_db()
    assert terms.planned_on == date(2099, 1, 5)


def test_the_independent_reviewer_records_when_a_milestone_happened(world, case, client_for):
    reviewer = client_for("independent_reviewer")
    review = case.practice_review
    event = milestone(review, MilestoneKind.PRACTITIONER_EVENT)
    services.milestone_update(auditor=SYSTEM, milestone=event, planned_on=date(2026, 2, 2))

    own_page = reviewer.get(reverse("reviews:reviewer_review", args=[review.pk]))
    assert url("milestones", case) in own_page.content.decode()
    page = reviewer.get(url("milestones", case))
    assert page.status_code == 200
    assert "Add a milestone" not in text(page)
    form = reviewer.get(url("milestone_record", case, milestone_pk=event.pk))
    assert "Planned for: 2 February 2026" in text(form)
    assert "planned_on_day" not in form.content.decode()  # the plan is the business unit's

    page = reviewer.post(
        url("milestone_record", case, milestone_pk=event.pk),
        {**when("actual_on", date(2026, 2, 3)), **when("planned_on", date(2026, 9, 9))},
    )

    assert page.status_code == 302
    event.refresh_from_db()
    assert (event.planned_on, event.actual_on) == (date(2026, 2, 2), date(2026, 2, 3))
    assert reviewer.get(url("milestone_add", case)).status_code == 404


def test_another_reviewer_an_agency_lead_and_a_practitioner_get_404(
    world, case, client_for, client_as
):
    another = member(world.partnership, Role.INDEPENDENT_REVIEWER, full_name="Another Reviewer")
    terms = milestone(case.practice_review, MilestoneKind.TERMS_AGREED)
    for client in (
        client_as(another),
        client_for("agency_lead"),
        client_for("practitioner"),
    ):
        assert client.get(url("milestones", case)).status_code == 404
        response = client.post(
            url("milestone_record", case, milestone_pk=terms.pk),
            when("actual_on", date(2026, 2, 3)),
        )
        assert response.status_code == 404
    terms.refresh_from_db()
    assert terms.actual_on is None


def test_a_milestone_of_another_review_is_not_found(world, case, bu):
    other = reviewed_case(world.partnership, reference="TEST-2025-099")
    theirs = other.practice_review.milestones.first()
    assert bu.get(url("milestone_record", case, milestone_pk=theirs.pk)).status_code == 404


def test_the_business_unit_adds_and_removes_its_own_milestone(case, bu):
    page = bu.post(url("milestone_add", case), {"title": "", **when("planned_on", None)})
    assert error_summary(page) == [
        ("#id_title", "Enter what the milestone is, for example 'Family meeting'")
    ]
    page = bu.post(
        url("milestone_add", case),
        {"title": "Family meeting", **when("planned_on", date(2099, 4, 1))},
    )
    assert page.status_code == 302
    added = Milestone.objects.get(title="Family meeting")
    plan = bu.get(url("milestones", case))
    assert "Remove Family meeting" in text(plan)

    page = bu.post(url("milestone_remove", case, milestone_pk=added.pk), {"confirm": "on"})
    assert page.status_code == 302
    assert not Milestone.objects.filter(pk=added.pk).exists()
    terms = milestone(case.practice_review, MilestoneKind.TERMS_AGREED)
    page = bu.post(url("milestone_remove", case, milestone_pk=terms.pk), {"confirm": "on"})
    assert error_summary(page)[0][1] == "The standard milestones cannot be removed"


def test_hold_release_then_a_late_plan_is_saved_with_its_reason(world, case, bu):
    """The bug in issue 8: after releasing a hold, nothing could be saved until the planned
    date was pulled back inside the original 6 months."""
    review = case.practice_review
    bu.post(
        url("practice_review_hold", case),
        {
            "reason": "Awaiting a criminal trial",
            **when("started_on", date(2026, 2, 2)),
            **when("panel_told_on", date(2026, 2, 3)),
        },
    )
    page = bu.post(
        url("practice_review_release_hold", case),
        {"confirm": "on", **when("released_on", date(2026, 6, 1))},
    )
    assert page.status_code == 302, error_summary(page)

    # A milestone is saved...
    event = milestone(review, MilestoneKind.PRACTITIONER_EVENT)
    page = bu.post(
        url("milestone_record", case, milestone_pk=event.pk),
        {**when("planned_on", date(2026, 9, 1)), **when("actual_on", None)},
    )
    assert page.status_code == 302, error_summary(page)
    # ...and so is a planned publication beyond 6 months, with its reason.
    page = bu.post(
        url("practice_review", case),
        {
            "independent_reviewer": str(world.user("independent_reviewer").pk),
            "methodology": "silp",
            "terms_of_reference": "",
            **when("planned_publication_on", date(2026, 11, 27)),
            "late_publication_reason": "The trial ended in May",
            **when("sent_to_panel_on", None),
            **when("published_on", None),
            "published_document": "",
            "publication_override_reason": "",
        },
    )
    assert page.status_code == 302, error_summary(page)

    page = bu.get(url("practice_review", case))
    body = text(page)
    assert "The hold that started on 2 February 2026 was released on 1 June 2026" in body
    assert (
        "Late against the 6-month expectation Planned for 27 November 2026, after 12 July 2026: "
        "The trial ended in May." in body
    )


def test_a_revised_publication_date_is_kept_as_history(world, case, bu):
    services.practice_review_update(
        auditor=SYSTEM, review=case.practice_review, planned_publication_on=date(2026, 6, 26)
    )
    page = bu.post(url("publication_revise", case), {"reason": "", **when("revised_date", None)})
    assert [message for _, message in error_summary(page)] == [
        "Enter the revised publication date",
        "Give the reason the publication date changed",
    ]

    page = bu.post(
        url("publication_revise", case),
        {
            **when("revised_date", date(2026, 7, 10)),
            "reason": "The practitioner event moved",
            **when("panel_told_on", date(2026, 6, 1)),
        },
    )
    assert page.status_code == 302, error_summary(page)

    page = bu.get(url("practice_review", case))
    assert table_rows(page, "#publication-revisions + .govuk-table, table:last-of-type")
    assert "10 July 2026 26 June 2026 The practitioner event moved 1 June 2026" in text(page)


def test_a_first_revision_with_no_planned_date_says_it_was_not_planned(world, case, bu):
    page = bu.post(
        url("publication_revise", case),
        {**when("revised_date", date(2026, 7, 10)), "reason": "The practitioner event moved"},
    )
    assert page.status_code == 302, error_summary(page)
    page = bu.get(url("practice_review", case))
    assert "10 July 2026 Not planned The practitioner event moved" in text(page)


def test_the_published_report_is_linked_and_the_7_day_rule_is_shown(world, case, bu):
    review = case.practice_review
    sign_off(review, date(2026, 5, 20))
    report = final_report(case)
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        sent_to_panel_on=date(2026, 6, 1),
        published_on=date(2026, 6, 12),
        published_document=report,
    )

    page = bu.get(url("practice_review", case))

    body = text(page)
    version = report.stored_file.latest
    assert reverse("core:file_download", args=[version.pk]) in page.content.decode()
    assert "Must stay published until 12 June 2027" in body
    assert (
        "Sent to the Panel and Secretary of State on 1 June 2026, published on 12 June 2026: "
        "9 working days, meets the 7-working-day rule" in body
    )


def test_publishing_without_choosing_the_report_is_refused_on_the_page(world, case, bu):
    review = case.practice_review
    sign_off(review, date(2026, 5, 20))
    page = bu.post(
        url("practice_review", case),
        {
            "independent_reviewer": str(world.user("independent_reviewer").pk),
            "methodology": "silp",
            "terms_of_reference": "",
            **when("planned_publication_on", date(2026, 6, 12)),
            "late_publication_reason": "",
            **when("sent_to_panel_on", date(2026, 6, 1)),
            **when("published_on", date(2026, 6, 12)),
            "published_document": "",
            "publication_override_reason": "",
        },
    )
    assert error_summary(page) == [
        (
            "#id_published_document",
            "Choose the published report: the final report as it was published",
        )
    ]
    review.refresh_from_db()
    assert review.published_on is None


def test_the_timeliness_page_shows_the_7_working_day_check(world, case, bu):
    review = case.practice_review
    sign_off(review, date(2026, 5, 20))
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        sent_to_panel_on=date(2026, 6, 1),
        published_on=date(2026, 6, 8),
        published_document=final_report(case),
        publication_override_reason="The family asked for an earlier date",
    )

    page = bu.get(
        reverse("reviews:timeliness")
        + "?date_from_day=1&date_from_month=4&date_from_year=2026"
        + "&date_to_day=31&date_to_month=3&date_to_year=2027"
    )

    body = text(page)
    assert (
        "Reports sent to the Panel at least 7 working days before publication 0 of 1 on time"
        in body
    )
    assert table_rows(page, "#seven-day-check") == [
        ["TEST-2025-001", "1 June 2026", "8 June 2026", "5", "Does not meet"]
    ]
