"""The whole partnership doing its part: an agency lead's information requests (across cases,
their own agency's only, never the rest of the case) and summary uploads; the documents
page's upload (a new document or a new version, its file's name checked for the children's
identifiers) and sharing with the independent reviewer; the reviewer's own uploads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.forms import add_service_errors
from learninghub.core.permissions import require

from .. import selectors, services
from ..forms.requests import AgencySummaryForm, CaseDocumentForm, ReviewerDocumentForm

PAGE_SIZE = 50


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _identifiers(request: HttpRequest, case):
    """What a file's name is checked against: every child's identifiers (only on a post).

    For the case team only, who may see the identifiers: the refusal shows what matched. An
    agency lead's or a reviewer's upload is checked for identifying patterns only (a date of
    birth, NHS number, postcode, phone number, email address), so that their page never
    confirms a guess at the child's name, address or school."""
    return selectors.case_identifier_list(case=case) if request.method == "POST" else ()


def _uploaded(version) -> str:
    title = version.stored_file.title
    if version.number == 1:
        return f"{title} was uploaded"
    return f"Version {version.number} of {title} was uploaded"


# Agency leads ---------------------------------------------------------------------------


@login_required
@require_safe
def agency_requests(request: HttpRequest) -> HttpResponse:
    require(request, "reviews.view_agency_requests")
    page = Paginator(selectors.requests_for_agency_lead(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [(asked, selectors.request_status(asked, today=today)) for asked in page]
    Auditor.from_request(request).read_list(
        action="reviews.information_requests.read",
        summary="Viewed their agency's information requests",
        partnership_ids=request.user.partnership_ids if rows else (),
    )
    return render(request, "reviews/agency_requests.jinja", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def agency_request(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "reviews.view_agency_requests")
    asked = selectors.request_for_agency_lead(user=request.user, pk=pk)
    require(request, "reviews.upload_agency_summary", asked)
    case = asked.rapid_review.case
    auditor = Auditor.from_request(request)
    form = AgencySummaryForm(_data(request), _files(request), identifiers=())
    if request.method == "POST" and not asked.withdrawn_on and form.is_valid():
        try:
            version = services.agency_summary_upload(
                auditor=auditor,
                request=asked,
                file=form.cleaned_data["file"],
                anonymity_matches=form.anonymity_matches if form.anonymity_override_used else None,
                anonymity_reason=form.anonymity_reason,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your summary was uploaded (version {version.number})")
            return redirect("reviews:agency_request", pk=asked.pk)
    if request.method == "GET":
        auditor.read(
            asked,
            action="reviews.information_request.read",
            summary=f"Viewed the request to {asked.agency.name} on {case.reference}",
        )
    return render(
        request,
        "reviews/agency_request.jinja",
        {
            "asked": asked,
            "case": case,
            "status": selectors.request_status(asked),
            "summary": selectors.request_summary(request=asked),
            "form": form,
        },
    )


# Case documents -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A new document, or a new version of one already here (never a second copy)."""
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    auditor = Auditor.from_request(request)
    if request.method == "GET":
        auditor.read(case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    form = CaseDocumentForm(
        _data(request),
        _files(request),
        documents=selectors.documents_to_version(case=case),
        identifiers=_identifiers(request, case),
        initial={"version_of": "new"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_upload_checked(
                auditor=auditor,
                case=case,
                anonymity_matches=form.anonymity_matches if form.anonymity_override_used else None,
                anonymity_reason=form.anonymity_reason,
                **form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _uploaded(version))
            return redirect(reverse("reviews:case_detail", args=[case.pk]) + "#documents")
    return render(
        request, "reviews/document_form.jinja", {"case": case, "form": form, "document": None}
    )


@login_required
@require_POST
def document_share(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    document = selectors.document_get(case=case, pk=document_pk)
    shared = request.POST.get("shared") == "yes"
    services.document_share_with_reviewer(
        auditor=Auditor.from_request(request), document=document, shared=shared
    )
    if shared:
        messages.success(request, f"{document.title} is shared with the independent reviewer")
    else:
        messages.success(request, f"{document.title} is no longer shared with the reviewer")
    return redirect(reverse("reviews:case_detail", args=[case.pk]) + "#documents")


# The independent reviewer ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_upload(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "reviews.view_own_reviews")
    review = selectors.review_for_reviewer(user=request.user, pk=pk)
    case = review.case
    auditor = Auditor.from_request(request)
    _, own = selectors.reviewer_documents(review=review)
    drafts = [d for d in own if d.stage in ("draft_report", "final_report")]
    form = ReviewerDocumentForm(
        _data(request),
        _files(request),
        documents=drafts,
        identifiers=(),  # patterns only: see _identifiers
        initial={"version_of": "new"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.reviewer_document_upload(
                auditor=auditor,
                review=review,
                anonymity_matches=form.anonymity_matches if form.anonymity_override_used else None,
                anonymity_reason=form.anonymity_reason,
                **form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _uploaded(version))
            return redirect("reviews:reviewer_review", pk=review.pk)
    return render(
        request, "reviews/reviewer_upload.jinja", {"review": review, "case": case, "form": form}
    )


urlpatterns = [
    path("cases/<int:pk>/documents/new/", document_upload, name="document_upload"),
    path("requests/", agency_requests, name="agency_requests"),
    path("requests/<int:pk>/", agency_request, name="agency_request"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/share/", document_share, name="document_share"
    ),
    path("my-reviews/<int:pk>/upload/", reviewer_upload, name="reviewer_upload"),
]
