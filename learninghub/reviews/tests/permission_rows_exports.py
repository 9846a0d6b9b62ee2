"""Permission rows for the spreadsheet downloads and the case tracker's template.

Each download is for the people who may see the page it comes from: the case list and the
timeliness figures for any case team (each sees only its own partnership's cases), a case's
deadlines for that case's team. The case tracker template is for a business unit, as is the
import it goes with. Everyone else gets a 404.
"""

from learninghub.core.tests.matrix import Row, signed_in
from learninghub.reviews.tests.factories import notified_case

ANY_CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200, other_business_unit=200)
CASE_TEAM = signed_in(404, case_review_group=200, business_unit=200)
ANY_BUSINESS_UNIT = signed_in(404, business_unit=200, other_business_unit=200)


def _case(world):
    return {"pk": notified_case(world.partnership).pk, "fmt": "csv"}


ROWS = [
    Row("reviews:case_list_export", ANY_CASE_TEAM, kwargs=lambda w: {"fmt": "xlsx"}),
    Row("reviews:timeliness_export", ANY_CASE_TEAM, kwargs=lambda w: {"fmt": "csv"}),
    Row("reviews:timeliness_cases_export", ANY_CASE_TEAM, kwargs=lambda w: {"fmt": "xlsx"}),
    Row("reviews:case_deadlines_export", CASE_TEAM, kwargs=_case),
    Row("reviews:case_tracker_template", ANY_BUSINESS_UNIT),
]
