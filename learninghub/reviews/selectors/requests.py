"""Agency leads' information requests, the request form's agencies, the identifiers a
filename is checked against, and what an independent reviewer may see of a case's documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from learninghub.core import anonymity, calendar
from learninghub.core.permissions import Role

from ..models import (
    Case,
    CaseIdentifiers,
    Document,
    InformationRequest,
    PracticeReview,
    Stage,
)
from .documents import with_versions


def agency_lead_agency_ids(user) -> list[int]:
    """The agencies a person is an active agency lead for."""
    if not user.is_authenticated:
        return []
    return [
        m.agency_id for m in user.active_memberships if m.role == Role.AGENCY_LEAD and m.agency_id
    ]


def requests_for_agency_lead(*, user):
    """The lead's agencies' requests across cases, the newest due first."""
    return (
        InformationRequest.objects.filter(
            agency_id__in=agency_lead_agency_ids(user),
            # A case recorded in error leaves the agency's list too (issue 8).
            rapid_review__case__recorded_in_error_on__isnull=True,
        )
        .select_related("agency", "rapid_review__case")
        .order_by("-due_on", "-id")
    )


def request_for_agency_lead(*, user, pk: int) -> InformationRequest:
    """One of the lead's agencies' requests; any other answers 404."""
    try:
        return requests_for_agency_lead(user=user).get(pk=pk)
    except InformationRequest.DoesNotExist as exc:
        raise Http404 from exc


def request_summary(*, request: InformationRequest) -> Document | None:
    documents = with_versions(Document.objects.filter(information_request=request))
    return documents[0] if documents else None


@dataclass(frozen=True)
class RequestStatus:
    text: str
    colour: str  # a govuk-tag modifier, "" for the default


def request_status(request: InformationRequest, *, today: date | None = None) -> RequestStatus:
    today = today or timezone.localdate()
    if request.withdrawn_on:
        return RequestStatus(f"Withdrawn on {calendar.format_date(request.withdrawn_on)}", "grey")
    if request.returned_on:
        return RequestStatus(f"Returned on {calendar.format_date(request.returned_on)}", "green")
    if request.due_on < today:
        return RequestStatus("Overdue", "red")
    if calendar.working_days_between(today, request.due_on) <= calendar.DUE_SOON_WORKING_DAYS:
        return RequestStatus("Due soon", "yellow")
    return RequestStatus("Awaited", "blue")


def agencies_for_request_form(*, case: Case):
    """(agencies that may be asked, agencies already asked and not withdrawn)."""
    from learninghub.partnerships.selectors import agency_list

    live = InformationRequest.objects.filter(
        rapid_review__case=case, withdrawn_on__isnull=True, agency=OuterRef("pk")
    )
    agencies = list(agency_list(partnership=case.partnership).annotate(already_asked=Exists(live)))
    return (
        [a for a in agencies if not a.already_asked],
        [a for a in agencies if a.already_asked],
    )


def case_identifier_list(*, case: Case) -> list[anonymity.Identifier]:
    """Every child's identifiers on the case, for the anonymity check."""
    found: list[anonymity.Identifier] = []
    for record in CaseIdentifiers.objects.filter(child__case=case):
        found.extend(anonymity.identifiers_from(record))
    return found


REVIEWER_OWN_STAGES = (Stage.PRACTICE_REVIEW, Stage.DRAFT_REPORT, Stage.FINAL_REPORT)


def reviewer_documents(*, review: PracticeReview) -> tuple[list[Document], list[Document]]:
    """(what the business unit shared with the reviewer, the review's own documents: the
    practice review stage's, and the reviewer's drafts and final report)."""
    documents = with_versions(
        review.case.documents.filter(
            Q(shared_with_reviewer=True) | Q(stage__in=REVIEWER_OWN_STAGES)
        ).order_by("stage", "title")
    )
    shared = [d for d in documents if d.shared_with_reviewer and d.stage not in REVIEWER_OWN_STAGES]
    own = [d for d in documents if d not in shared]
    return shared, own


def documents_to_version(*, case: Case) -> list[Document]:
    """The case's documents a new upload may be a new version of (agency summaries arrive
    through their request)."""
    return list(case.documents.filter(information_request__isnull=True).order_by("title"))


def reviewer_document_get(*, review: PracticeReview, pk: int) -> Document:
    """A draft or final report of the review, for a new version; anything else 404."""
    try:
        return review.case.documents.get(pk=pk, stage__in=[Stage.DRAFT_REPORT, Stage.FINAL_REPORT])
    except Document.DoesNotExist as exc:
        raise Http404 from exc
