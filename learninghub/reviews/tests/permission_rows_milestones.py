"""Permission rows for the forward plan (issue 8): the milestones page and its forms.

The case team of the case's partnership plans, adds and removes milestones and revises the
publication date. The review's own independent reviewer sees the plan and records the date
a milestone happened, and nothing else. Everyone else, including another reviewer, an
agency lead and a practitioner, gets a 404, so the review's existence does not leak.
"""

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews.tests.factories import reviewed_case

CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
CASE_TEAM_AND_REVIEWER = signed_in(
    404, case_review_group=200, business_unit=200, independent_reviewer=200
)


def _named(world):
    """A review with the world's independent reviewer named on it."""
    return reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))


def _review(world):
    return {"pk": _named(world).pk}


def _not_theirs(world):
    """A review with no reviewer named: the world's reviewer is not its reviewer."""
    return {"pk": reviewed_case(world.partnership).pk}


def _other_partnership(world):
    return {"pk": reviewed_case(world.other_partnership, reference="EAST-2025-003").pk}


def _milestone(world):
    case = _named(world)
    return {"pk": case.pk, "milestone_pk": case.practice_review.milestones.first().pk}


def _own_milestone(world):
    from learninghub.reviews import services
    from learninghub.reviews.tests.factories import SYSTEM

    case = _named(world)
    added = services.milestone_add(
        auditor=SYSTEM, review=case.practice_review, title="Family meeting"
    )
    return {"pk": case.pk, "milestone_pk": added.pk}


ROWS = [
    Row("reviews:milestones", CASE_TEAM_AND_REVIEWER, kwargs=_review),
    Row("reviews:milestones", CASE_TEAM, kwargs=_not_theirs, note="another-reviewer"),
    Row(
        "reviews:milestones",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership,
        note="other-partnership",
    ),
    Row("reviews:milestone_record", CASE_TEAM_AND_REVIEWER, kwargs=_milestone),
    # Both dates are optional: an empty form saves and goes back to the plan.
    Row(
        "reviews:milestone_record",
        signed_in(404, case_review_group=302, business_unit=302, independent_reviewer=302),
        kwargs=_milestone,
        method="post",
        note="empty",
    ),
    Row("reviews:milestone_add", CASE_TEAM, kwargs=_review),
    Row("reviews:milestone_add", CASE_TEAM, kwargs=_review, method="post", note="empty"),
    Row("reviews:milestone_remove", CASE_TEAM, kwargs=_own_milestone),
    Row("reviews:milestone_remove", CASE_TEAM, kwargs=_own_milestone, method="post", note="empty"),
    Row("reviews:publication_revise", CASE_TEAM, kwargs=_review),
    Row("reviews:publication_revise", CASE_TEAM, kwargs=_review, method="post", note="empty"),
]
