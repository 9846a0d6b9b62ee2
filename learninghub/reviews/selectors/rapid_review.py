"""The rapid review's requests to agencies for their summaries."""

from __future__ import annotations

from django.http import Http404

from ..models import Case, InformationRequest
from .documents import with_versions


def case_information_requests(*, case: Case) -> list[InformationRequest]:
    requests = list(
        InformationRequest.objects.filter(rapid_review__case=case)
        .select_related("agency")
        .prefetch_related("documents")
        .order_by("agency__name")
    )
    with_versions([document for asked in requests for document in asked.documents.all()])
    return requests


def information_request_get(*, case: Case, pk: int) -> InformationRequest:
    try:
        return InformationRequest.objects.select_related("agency", "rapid_review").get(
            pk=pk, rapid_review__case=case
        )
    except InformationRequest.DoesNotExist as exc:
        raise Http404 from exc


def agencies_to_ask(*, case: Case):
    """The partnership's active agencies not yet asked for their summary in this rapid review."""
    from learninghub.partnerships.selectors import agency_list

    asked = InformationRequest.objects.filter(
        rapid_review__case=case, withdrawn_on__isnull=True
    ).values("agency_id")
    return agency_list(partnership=case.partnership).exclude(pk__in=asked)


def case_information_request_list(*, case: Case) -> list[InformationRequest]:
    """The rapid review's requests to agencies, by agency name, without their documents."""
    return list(
        InformationRequest.objects.filter(rapid_review__case=case)
        .select_related("agency")
        .order_by("agency__name")
    )
