"""Permission rows for the pages across cases.

Timeliness is the case team's (each partnership's business unit and
case review group see their own cases); the calculator is the business unit's. The reviewer's
pages answer only for the reviews they are named on; the recommendations page only for agency
leads. Everyone else, a system administrator included, gets a 404.
"""

from learninghub.core.tests.matrix import Row, expect, signed_in
from learninghub.reviews.tests.factories import reviewed_case

ANY_CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200, other_business_unit=200)
ANY_BUSINESS_UNIT = signed_in(404, business_unit=200, other_business_unit=200)


def _named_review(world):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    return {"pk": case.practice_review.pk}


def _review_not_named_on(world):
    case = reviewed_case(world.partnership)
    return {"pk": case.practice_review.pk}


ROWS = [
    # Needs attention moved to the core (core:needs_attention, whose page decides who sees it):
    # the old address sends everyone there and reveals nothing itself.
    Row("reviews:dashboard", expect(302)),
    Row("reviews:dashboard", expect(405), method="post", note="read-only"),
    Row("reviews:calculator", ANY_BUSINESS_UNIT),
    Row(
        "reviews:calculator",
        ANY_BUSINESS_UNIT,
        data=lambda w: {"rule": "notification", "start_day": "x"},
        note="bad-input",
    ),
    Row("reviews:timeliness", ANY_CASE_TEAM),
    Row("reviews:reviewer_reviews", signed_in(404, independent_reviewer=200)),
    # The case team reads the review through the case pages, never through the reviewer's.
    Row(
        "reviews:reviewer_review",
        signed_in(404, independent_reviewer=200),
        kwargs=_named_review,
    ),
    Row(
        "reviews:reviewer_review",
        signed_in(404),
        kwargs=_review_not_named_on,
        note="not-named",
    ),
    Row("reviews:agency_recommendations", signed_in(404, agency_lead=200)),
]
