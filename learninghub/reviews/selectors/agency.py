"""What an agency lead sees: the recommendations addressed to their agency."""

from __future__ import annotations

from django.db.models import QuerySet

from learninghub.core.permissions import Role

from ..models import Recommendation


def recommendations_for_agency_lead(*, user) -> QuerySet[Recommendation]:
    """Recommendations addressed to the lead's agency: the text, never the case."""
    if not user.is_authenticated:
        return Recommendation.objects.none()
    agencies = [
        m.agency_id for m in user.active_memberships if m.role == Role.AGENCY_LEAD and m.agency_id
    ]
    return (
        Recommendation.objects.filter(
            agencies__in=agencies, case__recorded_in_error_on__isnull=True
        )
        .prefetch_related("themes")
        .distinct()
        .order_by("-created_at", "-id")
    )
