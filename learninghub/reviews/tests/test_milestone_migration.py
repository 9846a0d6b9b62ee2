"""Migration 0009 (issue 8): the practice review's four non-statutory dates become its
standard milestones, and going back copies them onto the fields again.

Transactional, like test_document_migrations.py: each test moves the reviews app's schema
back and leaves it at the latest.
"""

from __future__ import annotations

from datetime import date

import pytest

from learninghub.reviews import services
from learninghub.reviews.models import Milestone, PracticeReview
from learninghub.reviews.tests.factories import SYSTEM, decided_case, reviewed_case
from learninghub.reviews.tests.milestone_helpers import milestone, sign_off
from learninghub.reviews.tests.test_document_migrations import Schema

BEFORE = [("reviews", "0008_partnership_runs_reviews")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def schema():
    schema = Schema()
    yield schema
    schema.latest()


def test_the_four_dates_become_the_standard_milestones(world, schema):
    case = decided_case(world.partnership)
    apps = schema.migrate(BEFORE)
    apps.get_model("reviews", "PracticeReview").objects.create(
        case_id=case.pk,
        kind="local",
        decision_date=date(2026, 1, 12),
        terms_agreed_on=date(2026, 1, 26),
        practitioner_event_on=None,
        draft_received_on=date(2026, 3, 2),
        partners_approved_on=date(2026, 3, 16),
    )

    schema.latest()

    review = PracticeReview.objects.get(case=case)
    assert [
        (m.kind, m.title, m.planned_on, m.actual_on, m.position)
        for m in Milestone.objects.filter(practice_review=review)
    ] == [
        ("terms_agreed", "Terms of reference agreed", None, date(2026, 1, 26), 1),
        ("practitioner_event", "Practitioner event", None, None, 2),
        ("draft_to_partners", "Draft to partners", None, date(2026, 3, 2), 3),
        ("partners_sign_off", "Partners' sign-off", None, date(2026, 3, 16), 4),
    ]
    assert not hasattr(review, "partners_approved_on")


def test_going_back_copies_the_dates_onto_the_fields_and_forwards_again_adds_none(world, schema):
    case = reviewed_case(world.partnership)
    review = case.practice_review
    sign_off(review, date(2026, 3, 16))
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(review, "terms_agreed"),
        planned_on=date(2026, 1, 20),
        actual_on=date(2026, 1, 26),
    )

    apps = schema.migrate(BEFORE)

    old = apps.get_model("reviews", "PracticeReview").objects.get(pk=review.pk)
    assert (
        old.terms_agreed_on,
        old.practitioner_event_on,
        old.draft_received_on,
        old.partners_approved_on,
    ) == (date(2026, 1, 26), None, None, date(2026, 3, 16))

    schema.latest()

    milestones = Milestone.objects.filter(practice_review_id=review.pk)
    assert milestones.count() == 4  # the same four, not a second set
    assert milestone(review, "terms_agreed").planned_on == date(2026, 1, 20)  # kept
