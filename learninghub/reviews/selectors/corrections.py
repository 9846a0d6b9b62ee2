"""Cases closed as recorded in error: out of every list, but listed here for the business
unit."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Case
from .scope import _business_unit_partnership_ids


def cases_recorded_in_error(*, user) -> QuerySet[Case]:
    return (
        Case.objects.filter(
            partnership_id__in=_business_unit_partnership_ids(user),
            recorded_in_error_on__isnull=False,
        )
        .select_related("partnership")
        .order_by("-recorded_in_error_on", "-id")
    )
