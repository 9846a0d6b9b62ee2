"""Permission rows for the rapid review meeting pack and the corrections (issue 8).

The meeting pack is the case team's: the case review group records its own meeting. The
corrections are the business unit's. Everyone else gets a 404, so a case's existence does not
leak.
"""

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews.tests.factories import (
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)

CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
CASE_TEAM_REDIRECTED = signed_in(404, case_review_group=302, business_unit=302)
BUSINESS_UNIT = signed_in(404, business_unit=200)


def _case(make, **kwargs):
    return lambda world: {"pk": make(world.partnership, **kwargs).pk}


def _other_partnership_case(world):
    return {"pk": reviewed_case(world.other_partnership, reference="EAST-2025-003").pk}


ROWS = [
    Row("reviews:rapid_review_meeting", CASE_TEAM, kwargs=_case(notified_case)),
    Row("reviews:rapid_review_meeting", CASE_TEAM, kwargs=_case(decided_case), note="decided"),
    Row(
        "reviews:rapid_review_meeting",
        CASE_TEAM_REDIRECTED,
        kwargs=_case(open_case),
        note="not-notified",
    ),
    # An empty form is refused with the error summary (a 200), never half-saved.
    Row(
        "reviews:rapid_review_meeting",
        CASE_TEAM,
        kwargs=_case(notified_case),
        method="post",
        note="empty",
    ),
    Row(
        "reviews:rapid_review_meeting",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row("reviews:practice_review_kind", BUSINESS_UNIT, kwargs=_case(reviewed_case)),
    Row(
        "reviews:practice_review_kind",
        signed_in(404),
        kwargs=_case(decided_case),
        note="no-practice-review",
    ),
    Row(
        "reviews:practice_review_kind",
        BUSINESS_UNIT,
        kwargs=_case(reviewed_case),
        method="post",
        note="empty",
    ),
    Row("reviews:case_recorded_in_error", BUSINESS_UNIT, kwargs=_case(open_case)),
    Row(
        "reviews:case_recorded_in_error",
        BUSINESS_UNIT,
        kwargs=_case(open_case),
        method="post",
        note="empty",
    ),
    Row(
        "reviews:case_recorded_in_error",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row(
        "reviews:cases_recorded_in_error",
        signed_in(404, business_unit=200, other_business_unit=200),
    ),
]
