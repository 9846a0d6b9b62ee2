"""Permission rows for the stage pages: notification, rapid review, practice review.

Case material is for the case team of the case's partnership only: everyone else, including
another partnership's business unit, the review's own independent reviewer and a system
administrator, gets a 404 so a case's existence does not leak.
"""

from datetime import date

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews import services
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)

CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
# A stage not reached yet sends the case team on to the stage that comes first; a form whose
# questions are all optional saves and redirects.
CASE_TEAM_REDIRECTED = signed_in(404, case_review_group=302, business_unit=302)


def _case(make, **kwargs):
    return lambda world: {"pk": make(world.partnership, **kwargs).pk}


def _information_request(world):
    case = notified_case(world.partnership, agencies=[world.agency])
    asked = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    return {"pk": case.pk, "request_pk": asked.pk}


def _other_partnership_request(world):
    """A request id of Eastmoor's, asked for under a Northdale case: never found."""
    case = notified_case(world.partnership)
    other = notified_case(world.other_partnership, reference="EAST-2025-001")
    asked = services.information_request_create(
        auditor=SYSTEM, case=other, agency=world.other_agency, requested_on=date(2025, 12, 9)
    )
    return {"pk": case.pk, "request_pk": asked.pk}


def _reviewed_by_the_reviewer(world):
    return {"pk": reviewed_case(world.partnership, reviewer=world.user("independent_reviewer")).pk}


def _other_partnership_case(world):
    return {"pk": reviewed_case(world.other_partnership, reference="EAST-2025-002").pk}


ROWS = [
    Row("reviews:notification", CASE_TEAM, kwargs=_case(open_case)),
    Row("reviews:notification", CASE_TEAM, kwargs=_case(open_case), method="post", note="empty"),
    Row("reviews:rapid_review", CASE_TEAM, kwargs=_case(notified_case)),
    Row("reviews:rapid_review", CASE_TEAM, kwargs=_case(open_case), note="not-notified"),
    Row(
        "reviews:rapid_review",
        CASE_TEAM_REDIRECTED,
        kwargs=_case(notified_case),
        method="post",
        note="empty",
    ),
    Row("reviews:information_request_create", CASE_TEAM, kwargs=_case(notified_case)),
    Row(
        "reviews:information_request_create",
        CASE_TEAM_REDIRECTED,
        kwargs=_case(open_case),
        note="not-notified",
    ),
    Row(
        "reviews:information_request_create",
        CASE_TEAM,
        kwargs=_case(notified_case),
        method="post",
        note="empty",
    ),
    Row("reviews:information_request_return", CASE_TEAM, kwargs=_information_request),
    Row(
        "reviews:information_request_return",
        signed_in(404),
        kwargs=_other_partnership_request,
        note="other-partnership-request",
    ),
    Row("reviews:practice_review_start", CASE_TEAM, kwargs=_case(decided_case)),
    Row(
        "reviews:practice_review_start",
        CASE_TEAM,
        kwargs=_case(decided_case),
        method="post",
        note="empty",
    ),
    Row("reviews:practice_review", CASE_TEAM, kwargs=_case(reviewed_case)),
    Row(
        "reviews:practice_review",
        CASE_TEAM_REDIRECTED,
        kwargs=_case(decided_case),
        note="not-started",
    ),
    # The named independent reviewer reads their review through "my reviews", not here.
    Row(
        "reviews:practice_review",
        CASE_TEAM,
        kwargs=_reviewed_by_the_reviewer,
        note="named-reviewer",
    ),
    Row(
        "reviews:practice_review",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row(
        "reviews:practice_review",
        CASE_TEAM_REDIRECTED,
        kwargs=_case(reviewed_case),
        method="post",
        note="empty",
    ),
    Row("reviews:practice_review_hold", CASE_TEAM, kwargs=_case(reviewed_case)),
    Row("reviews:practice_review_hold", signed_in(404), kwargs=_case(decided_case), note="none"),
    Row(
        "reviews:practice_review_hold",
        CASE_TEAM,
        kwargs=_case(reviewed_case),
        method="post",
        note="empty",
    ),
    Row("reviews:practice_review_release_hold", CASE_TEAM, kwargs=_case(reviewed_case)),
    Row(
        "reviews:practice_review_release_hold",
        CASE_TEAM,
        kwargs=_case(reviewed_case),
        method="post",
        note="empty",
    ),
    Row("reviews:practice_review_not_publishing", CASE_TEAM, kwargs=_case(reviewed_case)),
    Row(
        "reviews:practice_review_not_publishing",
        signed_in(404, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row(
        "reviews:practice_review_not_publishing",
        CASE_TEAM,
        kwargs=_case(reviewed_case),
        method="post",
        note="empty",
    ),
]
