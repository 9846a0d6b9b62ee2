"""The forward plan (issue 8): milestones with planned and actual dates, holds released with
their date, revised and late publication dates, the published report, and the 7-working-day
rule measured on what really happened."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.reviews import presenters, selectors, services
from learninghub.reviews.models import Milestone, MilestoneKind, PracticeReview
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case
from learninghub.reviews.tests.milestone_helpers import final_report, milestone, sign_off

pytestmark = pytest.mark.django_db

DECISION = date(2026, 1, 12)  # reviewed_case's decision; 6 months is 12 July 2026


def _messages(error: ValidationError) -> dict:
    return {field: " ".join(messages) for field, messages in error.message_dict.items()}


@pytest.fixture
def review(world) -> PracticeReview:
    return reviewed_case(world.partnership).practice_review


def test_a_practice_review_starts_with_the_four_standard_milestones_unplanned(review):
    assert [(m.kind, m.title, m.planned_on, m.actual_on) for m in review.milestones.all()] == [
        ("terms_agreed", "Terms of reference agreed", None, None),
        ("practitioner_event", "Practitioner event", None, None),
        ("draft_to_partners", "Draft to partners", None, None),
        ("partners_sign_off", "Partners' sign-off", None, None),
    ]


def test_planned_dates_may_be_in_the_future_and_actual_dates_may_not(world, review):
    terms = milestone(review, MilestoneKind.TERMS_AGREED)
    services.milestone_update(auditor=SYSTEM, milestone=terms, planned_on=date(2099, 1, 5))
    terms.refresh_from_db()
    assert terms.planned_on == date(2099, 1, 5)

    with pytest.raises(ValidationError) as error:
        services.milestone_update(auditor=SYSTEM, milestone=terms, actual_on=date(2099, 1, 5))
    assert _messages(error.value) == {
        "actual_on": "The date it happened must be today or in the past"
    }
    with pytest.raises(ValidationError) as error:
        services.milestone_update(auditor=SYSTEM, milestone=terms, actual_on=date(2026, 1, 9))
    assert _messages(error.value) == {
        "actual_on": "The date it happened must be on or after the decision on 12 January 2026"
    }
    terms.refresh_from_db()
    assert terms.actual_on is None  # nothing half-saved

    services.milestone_update(auditor=SYSTEM, milestone=terms, actual_on=date(2026, 1, 26))
    event = AuditEvent.objects.filter(action="reviews.milestone.update").latest("sequence")
    assert event.changes["actual_on"] == [None, "2026-01-26"]


def test_status_done_overdue_planned_or_not_planned(review):
    today = date(2026, 3, 2)
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.TERMS_AGREED),
        planned_on=date(2026, 1, 26),
        actual_on=date(2026, 1, 27),
    )
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.PRACTITIONER_EVENT),
        planned_on=date(2026, 2, 27),  # past, nothing recorded: overdue
    )
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.DRAFT_TO_PARTNERS),
        planned_on=date(2026, 3, 2),  # today: not yet overdue
    )
    services.practice_review_update(
        auditor=SYSTEM, review=review, planned_publication_on=date(2026, 6, 26)
    )
    review.refresh_from_db()

    plan = selectors.milestone_plan(review=review, today=today)

    assert [(r.title, r.planned_on, r.status) for r in plan] == [
        ("Terms of reference agreed", date(2026, 1, 26), "done"),
        ("Practitioner event", date(2026, 2, 27), "overdue"),
        ("Draft to partners", date(2026, 3, 2), "planned"),
        ("Partners' sign-off", None, "not_planned"),
        # Statutory: 7 working days before the planned publication, then the publication.
        ("To the Panel and the Secretary of State", date(2026, 6, 17), "planned"),
        ("Publication", date(2026, 6, 26), "planned"),
    ]
    assert presenters.milestone_status_tag("overdue") == {
        "text": "Overdue",
        "classes": "govuk-tag--red",
    }


def test_the_business_unit_adds_and_removes_its_own_milestones_only(review):
    added = services.milestone_add(
        auditor=SYSTEM, review=review, title="  Family meeting ", planned_on=date(2026, 2, 2)
    )
    assert (added.kind, added.title, added.position) == ("other", "Family meeting", 5)
    with pytest.raises(ValidationError) as error:
        services.milestone_add(auditor=SYSTEM, review=review, title=" ")
    assert "Enter what the milestone is" in _messages(error.value)["title"]

    with pytest.raises(ValidationError) as error:
        services.milestone_remove(
            auditor=SYSTEM, milestone=milestone(review, MilestoneKind.TERMS_AGREED)
        )
    assert _messages(error.value) == {"milestone": "The standard milestones cannot be removed"}
    services.milestone_remove(auditor=SYSTEM, milestone=added)
    assert not Milestone.objects.filter(pk=added.pk).exists()
    assert AuditEvent.objects.filter(action="reviews.milestone.delete").count() == 1


def test_releasing_a_hold_records_the_date_not_before_the_hold_and_not_in_the_future(review):
    services.practice_review_hold(
        auditor=SYSTEM,
        review=review,
        reason="Awaiting a criminal trial",
        started_on=date(2026, 2, 2),
        panel_told_on=date(2026, 2, 3),
    )
    for released_on, message in [
        (None, "Enter the date the hold was released"),
        (date(2026, 1, 30), "The hold is released on or after it started on 2 February 2026"),
        (date(2099, 1, 1), "The date the hold was released must be today or in the past"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.practice_review_release_hold(
                auditor=SYSTEM, review=review, released_on=released_on
            )
        assert _messages(error.value) == {"released_on": message}
    review.refresh_from_db()
    assert review.on_hold

    services.practice_review_release_hold(
        auditor=SYSTEM, review=review, released_on=date(2026, 5, 4)
    )
    review.refresh_from_db()
    assert (review.on_hold, review.hold_released_on) == (False, date(2026, 5, 4))


def test_after_a_hold_is_released_a_late_plan_saves_with_its_reason(review):
    """The bug: after releasing a hold, nothing could be saved until the planned date was
    pulled back inside the original 6 months. Now the late date is kept, with its reason."""
    services.practice_review_hold(
        auditor=SYSTEM,
        review=review,
        reason="Awaiting a criminal trial",
        started_on=date(2026, 2, 2),
        panel_told_on=date(2026, 2, 3),
    )
    services.practice_review_update(
        auditor=SYSTEM, review=review, planned_publication_on=date(2026, 10, 30)
    )  # allowed while on hold
    services.practice_review_release_hold(
        auditor=SYSTEM, review=review, released_on=date(2026, 6, 1)
    )

    # The milestones can still be recorded...
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, MilestoneKind.PRACTITIONER_EVENT),
        planned_on=date(2026, 8, 3),
        actual_on=date(2026, 6, 15),
    )
    # ...and the practice review saved, once the lateness has its reason.
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM, review=review, terms_of_reference="How were risks shared?"
        )
    assert list(_messages(error.value)) == ["late_publication_reason"]
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        terms_of_reference="How were risks shared?",
        late_publication_reason="The trial ended in May; the practitioner event followed",
    )
    review.refresh_from_db()
    assert review.planned_publication_on == date(2026, 10, 30)
    assert review.terms_of_reference == "How were risks shared?"
    assert selectors.late_against_six_months(review) == date(2026, 7, 12)


def test_a_revised_publication_date_keeps_its_history_and_moves_the_send_clock(world, review):
    services.practice_review_update(
        auditor=SYSTEM, review=review, planned_publication_on=date(2026, 6, 26)
    )
    person = Auditor(actor=world.user("business_unit"))
    with pytest.raises(ValidationError) as error:
        services.publication_revise(
            auditor=person, review=review, revised_date=None, reason=" ", panel_told_on=None
        )
    assert _messages(error.value) == {
        "revised_date": "Enter the revised publication date",
        "reason": "Give the reason the publication date changed",
    }

    services.publication_revise(
        auditor=person,
        review=review,
        revised_date=date(2026, 9, 25),
        reason="The practitioner event moved",
        panel_told_on=date(2026, 6, 1),
    )

    review.refresh_from_db()
    assert review.planned_publication_on == date(2026, 9, 25)
    # Beyond the 6 months: the revision's reason is the lateness's reason.
    assert review.late_publication_reason == "The practitioner event moved"
    (revision,) = selectors.publication_revisions(review=review)
    assert (revision.previous_date, revision.revised_date, revision.panel_told_on) == (
        date(2026, 6, 26),
        date(2026, 9, 25),
        date(2026, 6, 1),
    )
    assert revision.recorded_by == world.user("business_unit")
    send = review.case.clocks.get(kind="send_to_panel")
    assert send.due_date == date(2026, 9, 16)  # 7 working days before the revised date


def test_publication_needs_the_sign_off_and_the_published_report(world, review):
    sign_off(review, date(2026, 5, 20))
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM,
            review=review,
            sent_to_panel_on=date(2026, 6, 1),
            published_on=date(2026, 6, 10),
        )
    assert _messages(error.value) == {
        "published_document": "Choose the published report: the final report as it was published"
    }

    report = final_report(review.case)
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        sent_to_panel_on=date(2026, 6, 1),
        published_on=date(2026, 6, 10),
        published_document=report,
    )

    review.refresh_from_db()
    assert review.published_report == report.stored_file.latest
    assert services.published_until(review.published_on) == date(2027, 6, 10)


def test_publication_tells_the_business_unit_the_report_stays_up_a_year(
    world, review, django_capture_on_commit_callbacks, mailoutbox
):
    sign_off(review, date(2026, 5, 20))
    report = final_report(review.case)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_review_update(
            auditor=SYSTEM,
            review=review,
            sent_to_panel_on=date(2026, 6, 1),
            published_on=date(2026, 6, 10),
            published_document=report,
        )

    published = [m for m in mailoutbox if "must stay published" in m.subject]
    assert len(published) == 1
    assert published[0].to == [world.user("business_unit").email]
    assert "must stay published for at least a year: until 10 June 2027" in published[0].body


@pytest.mark.parametrize(
    ("sent", "published", "days", "meets"),
    [
        (date(2026, 6, 1), date(2026, 6, 12), 9, True),
        (date(2026, 6, 1), date(2026, 6, 8), 5, False),
    ],
)
def test_the_7_working_day_rule_is_measured_on_the_real_dates(
    world, review, sent, published, days, meets
):
    sign_off(review, date(2026, 5, 20))
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        planned_publication_on=date(2026, 7, 10),  # the plan does not count
        sent_to_panel_on=sent,
        published_on=published,
        published_document=final_report(review.case),
        publication_override_reason="" if meets else "The family asked for an earlier date",
    )
    review.refresh_from_db()

    check = selectors.seven_day_check(review)

    assert (check.working_days, check.meets) == (days, meets)
    verdict = "meets" if meets else "does not meet"
    assert presenters.seven_day_words(check) == (
        f"Sent to the Panel and Secretary of State on {sent.day} June 2026, published on "
        f"{published.day} June 2026: {days} working days, {verdict} the 7-working-day rule"
    )
    (row,) = selectors.seven_day_checks(
        user=world.user("business_unit"), start=date(2026, 4, 1), end=date(2027, 3, 31)
    )
    assert (row.reference, row.check.meets) == (review.case.reference, meets)
    share = {
        s.rule: s
        for s in selectors.timeliness(
            user=world.user("business_unit"), start=date(2026, 4, 1), end=date(2027, 3, 31)
        )
    }["seven_day_check"]
    assert (share.on_time, share.total) == (1 if meets else 0, 1)
