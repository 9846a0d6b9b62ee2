"""Permission rows for the case review endpoints, with session clients.

Reads take a session: the case team of the case's partnership (business unit and case review
group) gets 200, anyone else signed in 404 (as on the pages), anonymous 401 (no credentials).
Writes never take a session, so every one answers 401 here; test_reviews_api.py covers what a
token can do.
"""

from datetime import date

from learninghub.core.tests.matrix import Row, expect
from learninghub.reviews import services
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)

NEEDS_TOKEN = expect(401)
CASE_TEAM = expect(404, anonymous=401, case_review_group=200, business_unit=200)
# Each case team has its own partnership's list (the other business unit's is empty).
ANY_CASE_TEAM = expect(
    404, anonymous=401, case_review_group=200, business_unit=200, other_business_unit=200
)
ANY_BUSINESS_UNIT = expect(404, anonymous=401, business_unit=200, other_business_unit=200)


def _case(world):
    return {"case_id": open_case(world.partnership).pk}


def _notified(world):
    return {"case_id": notified_case(world.partnership).pk}


def _decided(world):
    return {"case_id": decided_case(world.partnership).pk}


def _reviewed(world):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    return {"case_id": case.pk}


def _information_request(world):
    case = notified_case(world.partnership)
    asked = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    return {"case_id": case.pk, "request_id": asked.pk}


def _other_partnership_case(world):
    return {"case_id": open_case(world.other_partnership, reference="EAST-2025-001").pk}


def _calculation(world):
    return {"rule": "rapid_review", "start": "2025-12-19"}


ROWS = [
    Row("api:case_list", ANY_CASE_TEAM),
    Row("api:case_open", NEEDS_TOKEN, method="post"),
    Row("api:case_detail", CASE_TEAM, kwargs=_case),
    # The review's own independent reviewer sees the review on their pages, never the case.
    Row("api:case_detail", CASE_TEAM, kwargs=_reviewed, note="reviewers-own"),
    Row(
        "api:case_detail",
        expect(404, anonymous=401, other_business_unit=200),
        kwargs=_other_partnership_case,
        note="other-partnership",
    ),
    Row(
        "api:case_detail",
        expect(404, anonymous=401),
        kwargs=lambda w: {"case_id": 999999},
        note="missing",
    ),
    Row("api:case_clocks", CASE_TEAM, kwargs=_notified),
    Row("api:case_clocks", CASE_TEAM, kwargs=_reviewed, note="reviewers-own"),
    Row("api:notification_record", NEEDS_TOKEN, kwargs=_case, method="put"),
    Row("api:notification_record", expect(405), kwargs=_case, note="no-get"),
    Row("api:rapid_review_update", NEEDS_TOKEN, kwargs=_notified, method="patch"),
    Row("api:information_request_create", NEEDS_TOKEN, kwargs=_notified, method="post"),
    Row("api:practice_review_start", NEEDS_TOKEN, kwargs=_decided, method="post"),
    Row("api:information_request_return", NEEDS_TOKEN, kwargs=_information_request, method="post"),
    Row("api:practice_review_update", NEEDS_TOKEN, kwargs=_reviewed, method="patch"),
    Row("api:practice_review_hold", NEEDS_TOKEN, kwargs=_reviewed, method="post"),
    Row("api:practice_review_release_hold", NEEDS_TOKEN, kwargs=_reviewed, method="delete"),
    Row("api:practice_review_not_publishing", NEEDS_TOKEN, kwargs=_reviewed, method="post"),
    Row("api:finding_create", NEEDS_TOKEN, kwargs=_reviewed, method="post"),
    Row("api:recommendation_create", NEEDS_TOKEN, kwargs=_reviewed, method="post"),
    Row("api:deadline_calculate", ANY_BUSINESS_UNIT, data=_calculation),
]
