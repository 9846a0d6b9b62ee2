"""What an independent reviewer sees: the practice reviews they are named on."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from learninghub.core.permissions import Role, partnerships_where

from ..models import Clock, ClockKind, PracticeReview


def reviews_for_reviewer(*, user) -> QuerySet[PracticeReview]:
    if not user.is_authenticated:
        return PracticeReview.objects.none()
    return PracticeReview.objects.filter(
        independent_reviewer=user,
        case__recorded_in_error_on__isnull=True,
        case__partnership_id__in=partnerships_where(user, Role.INDEPENDENT_REVIEWER),
    ).select_related("case")


def review_for_reviewer(*, user, pk: int) -> PracticeReview:
    try:
        return reviews_for_reviewer(user=user).get(pk=pk)
    except PracticeReview.DoesNotExist as exc:
        raise Http404 from exc


def reviewer_review_list(*, user) -> QuerySet[PracticeReview]:
    """The reviews an independent reviewer is named on, with each one's publication clock."""
    return (
        reviews_for_reviewer(user=user)
        .prefetch_related(
            Prefetch(
                "case__clocks",
                queryset=Clock.objects.filter(kind=ClockKind.PUBLICATION),
                to_attr="publication_clocks",
            )
        )
        .order_by("-decision_date", "-id")
    )


def reviewer_review_clocks(*, review: PracticeReview) -> list[Clock]:
    """The practice review's own clocks: never the notification's or the rapid review's."""
    return list(
        Clock.objects.filter(
            case_id=review.case_id, kind__in=[ClockKind.PUBLICATION, ClockKind.SEND_TO_PANEL]
        ).order_by("due_date", "id")
    )


def independent_reviewer_choices(*, partnership_id: int):
    from learninghub.partnerships.selectors import members_with_role

    return members_with_role(partnership_id=partnership_id, role=Role.INDEPENDENT_REVIEWER)


def independent_reviewer_get(*, partnership_id: int, pk: int):
    """One of the partnership's independent reviewers, or None."""
    return independent_reviewer_choices(partnership_id=partnership_id).filter(pk=pk).first()
