"""Permission rows for how a case begins and who it is about: recording the notification,
the children's pages, their identifying details, and the case review settings.

Only the business unit of the case's partnership names or changes the children; the case
review group sees them (and their identifying details, which the case team may change).
Everyone else gets a 404.
"""

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews.tests.factories import open_case

BUSINESS_UNIT = signed_in(404, business_unit=200)
ANY_BUSINESS_UNIT = signed_in(404, business_unit=200, other_business_unit=200)
CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
CASE_TEAM_WRITES = signed_in(404, case_review_group=302, business_unit=302)

CHILD = {"pseudonym": "Child B", "age_band": "5_9", "sex": "male", "ethnicity": "not_known"}


def _case(world):
    return {"pk": open_case(world.partnership).pk}


def _child(world):
    case = open_case(world.partnership)
    return {"pk": case.pk, "child_pk": case.children.get().pk}


def _child_of_other_case(world):
    case = open_case(world.partnership)
    other = open_case(world.partnership, reference="TEST-2025-002", pseudonym="Child Z")
    return {"pk": case.pk, "child_pk": other.children.get().pk}


ROWS = [
    Row("reviews:child_add", BUSINESS_UNIT, kwargs=_case),
    Row(
        "reviews:child_add",
        signed_in(404, business_unit=302),
        kwargs=_case,
        method="post",
        data=lambda w: CHILD,
    ),
    Row("reviews:child_edit", BUSINESS_UNIT, kwargs=_child),
    Row(
        "reviews:child_edit",
        signed_in(404, business_unit=302),
        kwargs=_child,
        method="post",
        data=lambda w: CHILD,
    ),
    Row("reviews:child_edit", signed_in(404), kwargs=_child_of_other_case, note="other-case"),
    Row("reviews:identifiers_edit", CASE_TEAM, kwargs=_child),
    Row(
        "reviews:identifiers_edit",
        CASE_TEAM_WRITES,
        kwargs=_child,
        method="post",
        data=lambda w: {"school": "Fictional School"},
    ),
    Row(
        "reviews:identifiers_edit",
        signed_in(404),
        kwargs=_child_of_other_case,
        note="other-case",
    ),
    Row("reviews:review_settings", ANY_BUSINESS_UNIT),
    Row(
        "reviews:review_settings",
        signed_in(404, business_unit=302, other_business_unit=302),
        method="post",
        data=lambda w: {"reference_pattern": "{short}/{year}/{seq}"},
    ),
]
