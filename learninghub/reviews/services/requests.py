"""Agencies' summaries for the rapid review, as the whole partnership does its part.

The business unit asks several agencies at once (one transaction, each agency's leads told
by email) and may withdraw a request with a reason; an agency lead uploads their agency's
summary themselves (the business unit is told). The independent reviewer's documents are in
reviewer_documents.py, a checked upload from the documents page in documents.py.

Every email carries the case reference and the case's pseudonym, never the child's
identifiers, which are not even handed to the templates.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.notify import absolute_url, notify
from learninghub.partnerships.selectors import agency_lead_emails, business_unit_emails

from ..models import Case, Document, InformationRequest, Stage
from ._checks import _fmt, _not_before, _not_future, _raise
from .clocks import sync_clocks
from .documents import _audit_filename_override, document_upload
from .rapid_review import INFORMATION_REQUEST_WORKING_DAYS, _rapid_review_for

DEFAULT_DETAILS = (
    "A summary of your agency's involvement with the child and family: who was involved and "
    "when, what was known, the decisions made and why, and any early learning for the rapid "
    "review."
)

REQUEST_MADE_NOTICE = "reviews/notices/information_request_made"
REQUEST_WITHDRAWN_NOTICE = "reviews/notices/information_request_withdrawn"
SUMMARY_RETURNED_NOTICE = "reviews/notices/agency_summary_returned"


def _request_link(request: InformationRequest) -> str:
    return absolute_url(reverse("reviews:agency_request", args=[request.pk]))


def _request_context(request: InformationRequest, case: Case) -> dict:
    return {
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "agency": request.agency.name,
        "details": request.details,
        "due": calendar.format_date(request.due_on),
        "link": _request_link(request),
    }


def _tell_agency_leads(request: InformationRequest, case: Case, template: str, **extra) -> None:
    to = agency_lead_emails(request.agency_id)
    if to:
        notify(
            to=to,
            template=template,
            context={**_request_context(request, case), **extra},
            reference=f"information request {request.pk}",
        )


def _tell_business_unit(case: Case, template: str, context: dict, reference: str) -> None:
    to = business_unit_emails(case.partnership_id)
    if to:
        notify(
            to=to,
            template=template,
            context={"reference": case.reference, "pseudonym": case.pseudonym, **context},
            reference=reference,
        )


def default_due_on(case: Case) -> date | None:
    notified = getattr(getattr(case, "notification", None), "sent_to_panel_on", None)
    if notified is None:
        return None
    return calendar.add_working_days(notified, INFORMATION_REQUEST_WORKING_DAYS)


@transaction.atomic
def information_requests_create(
    *,
    auditor: Auditor,
    case: Case,
    agencies,
    details: str,
    requested_on: date,
    due_on: date | None = None,
) -> list[InformationRequest]:
    """Ask several agencies for their summaries at once: every request, or none."""
    rapid_review = _rapid_review_for(case)
    agencies = list(agencies)
    errors: dict[str, str] = {}
    if not agencies:
        errors["agencies"] = "Select at least one agency to ask"
    elif any(a.partnership_id != case.partnership_id for a in agencies):
        errors["agencies"] = "Choose agencies in this partnership"
    else:
        asked = set(
            InformationRequest.objects.filter(
                rapid_review=rapid_review,
                agency__in=agencies,
                withdrawn_on__isnull=True,
            ).values_list("agency__name", flat=True)
        )
        if asked:
            errors["agencies"] = (
                f"{', '.join(sorted(asked))} has already been asked for its summary"
            )
    details = (details or "").strip()
    if not details:
        errors["details"] = "Enter what is asked of the agencies"
    _not_future(errors, "requested_on", requested_on, "The request date")
    notified = case.notification.sent_to_panel_on
    _not_before(
        errors,
        "requested_on",
        requested_on,
        notified,
        f"The request date must be on or after the notification on {_fmt(notified)}",
    )
    defaulted = due_on is None
    if defaulted:
        due_on = calendar.add_working_days(notified, INFORMATION_REQUEST_WORKING_DAYS)
    _not_before(
        errors,
        "due_on",
        due_on,
        requested_on,
        # A late request left blank would otherwise be told off for a date it never typed.
        f"Day 10 was {_fmt(due_on)}, before the request date: enter the date the summaries are due"
        if defaulted
        else "The due date must be after the request date",
    )
    _raise(errors)
    created = []
    for agency in sorted(agencies, key=lambda a: a.name):
        request = InformationRequest.objects.create(
            rapid_review=rapid_review,
            agency=agency,
            details=details,
            requested_on=requested_on,
            due_on=due_on,
        )
        auditor.created(
            request,
            action="reviews.information_request.create",
            summary=f"Asked {agency.name} for its summary on {case.reference}",
            fields=["agency", "details", "requested_on", "due_on"],
        )
        created.append(request)
    sync_clocks(case)
    for request in created:
        _tell_agency_leads(request, case, REQUEST_MADE_NOTICE)
    return created


@transaction.atomic
def information_request_create(
    *,
    auditor: Auditor,
    case: Case,
    agency,
    requested_on: date,
    due_on: date | None = None,
    details: str = "",
) -> InformationRequest:
    """Ask one agency (the API's request): `information_requests_create` with one agency, so
    the same rules apply and the agency's leads are emailed the same way."""
    try:
        (request,) = information_requests_create(
            auditor=auditor,
            case=case,
            agencies=[agency],
            details=details or DEFAULT_DETAILS,
            requested_on=requested_on,
            due_on=due_on,
        )
    except ValidationError as error:
        # One agency: its refusal is about that agency.
        errors = error.message_dict
        if "agencies" in errors:
            errors["agency"] = errors.pop("agencies")
        raise ValidationError(errors) from error
    return request


@transaction.atomic
def information_request_withdraw(
    *, auditor: Auditor, request: InformationRequest, reason: str
) -> InformationRequest:
    """Withdraw a request (the agency can be asked again); its clock goes."""
    request = (
        InformationRequest.objects.select_for_update()
        .select_related("rapid_review__case", "agency")
        .get(pk=request.pk)
    )
    case = request.rapid_review.case
    errors: dict[str, str] = {}
    if request.withdrawn_on:
        errors["reason"] = f"This request was already withdrawn on {_fmt(request.withdrawn_on)}"
    elif request.returned_on:
        errors["reason"] = "The summary has already been returned, so it cannot be withdrawn"
    elif not (reason or "").strip():
        errors["reason"] = "Enter why the request is withdrawn"
    _raise(errors)
    before = snapshot(request, ["withdrawn_on", "withdrawn_reason"])
    request.withdrawn_on = timezone.localdate()
    request.withdrawn_reason = reason.strip()
    request.save()
    auditor.updated(
        request,
        action="reviews.information_request.withdraw",
        summary=f"Withdrew the request to {request.agency.name} on {case.reference}",
        before=before,
    )
    sync_clocks(case)
    _tell_agency_leads(request, case, REQUEST_WITHDRAWN_NOTICE, reason=request.withdrawn_reason)
    return request


@transaction.atomic
def agency_summary_upload(
    *,
    auditor: Auditor,
    request: InformationRequest,
    file,
    anonymity_matches=None,
    anonymity_reason: str = "",
):
    """The agency lead uploads their agency's summary: the file, returned today, audited, and
    the business unit told. A later upload is a new version of the same summary."""
    request = (
        InformationRequest.objects.select_for_update()
        .select_related("rapid_review__case", "agency")
        .get(pk=request.pk)
    )
    case = request.rapid_review.case
    if request.withdrawn_on:
        raise ValidationError({"file": "This request was withdrawn, so no summary is needed"})
    if file is None:
        raise ValidationError({"file": "Choose the agency's summary file"})
    document = Document.objects.filter(information_request=request).first()
    version = document_upload(
        auditor=auditor,
        case=case,
        stage=Stage.AGENCY_SUMMARY,
        title=f"Agency summary: {request.agency.name}",
        file=file,
        document=document,
        information_request=request,
    )
    _audit_filename_override(
        auditor, version, anonymity_matches, anonymity_reason, what="a summary"
    )
    if request.returned_on is None:
        before = snapshot(request, ["returned_on"])
        request.returned_on = timezone.localdate()
        request.save()
        auditor.updated(
            request,
            action="reviews.information_request.return",
            summary=f"{request.agency.name} returned its summary on {case.reference}",
            before=before,
        )
        sync_clocks(case)
    _tell_business_unit(
        case,
        SUMMARY_RETURNED_NOTICE,
        {
            "agency": request.agency.name,
            "version": version.number,
            "link": absolute_url(reverse("reviews:rapid_review", args=[case.pk])),
        },
        reference=f"information request {request.pk} returned",
    )
    return version
