"""Case pages: the case list, opening and changing a case, its overview, identifying details,
findings, recommendations, documents and slippage.

Case material is restricted to the partnership's business unit and case review group; anyone
else gets a 404, so a case's existence does not leak. Every view of it is in the access log.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.files.views import file_download
from learninghub.core.forms import add_service_errors
from learninghub.core.permissions import can
from learninghub.core.taxonomy.selectors import theme_list
from learninghub.partnerships import selectors as partnership_selectors

from .. import rules as review_rules
from .. import selectors, services
from ..filters import CaseFilter
from ..forms.cases import (
    CaseEditForm,
    CaseForm,
    FindingForm,
    RecommendationForm,
    SlippageForm,
)
from ..forms.requests import DocumentVersionCheckedForm

PAGE_SIZE = 25
logger = logging.getLogger(__name__)


def _read(request: HttpRequest, obj, *, action: str, summary: str) -> None:
    Auditor.from_request(request).read(obj, action=action, summary=summary)


def _identifiers(request: HttpRequest, case) -> list:
    """What the anonymity check looks for, on a POST only (a GET checks nothing). The pages
    that check show the matched text: only the case team reach them (reviews.change_case),
    and they may see the identifiers (tests/test_anonymity_gate.py holds that)."""
    return selectors.case_identifiers(case=case) if request.method == "POST" else []


def _checked(form) -> dict:
    """The service's arguments from a form checked for anonymity: the override's reason only
    when the form was saved despite what it found."""
    data = dict(form.cleaned_data)
    data.pop("anonymity_override", None)
    data.pop("anonymity_override_reason", None)
    data["anonymity_override_reason"] = (
        form.anonymity_reason if form.anonymity_override_used else ""
    )
    return data


def _to_case(case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("reviews:case_detail", args=[case.pk]) + anchor)


# Cases ----------------------------------------------------------------------------------


# What the case list shows of each case (its link, pseudonym and stage, `stage_label`): the
# one-to-one stages' other columns were most of the columns the page loaded and converted.
_CASE_LIST_COLUMNS = (
    "partnership_id",
    "reference",
    "pseudonym",
    "partnership__name",
    "notification__case_id",
    "rapid_review__case_id",
    "rapid_review__panel_response",
    "practice_review__case_id",
    "practice_review__kind",
    "practice_review__published_on",
)


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    if not review_rules.in_any_case_team(request.user):
        raise Http404
    found = CaseFilter(
        request.GET,
        queryset=selectors.case_list_with_next_deadline(
            user=request.user, count_open_clocks=False
        ).only(*_CASE_LIST_COLUMNS),
    )
    filters = found.chosen
    page = Paginator(found.cases, PAGE_SIZE).get_page(request.GET.get("page"))
    Auditor.from_request(request).read_list(
        action="reviews.case_list.read",
        summary="Viewed the list of cases",
        partnership_ids={case.partnership_id for case in page},
    )
    return render(
        request,
        "reviews/case_list.jinja",
        {
            "form": found.form,
            "page": page,
            "filtered": bool(filters),
            "query": urlencode(filters),
            "partnership": request.user.current_partnership,
            "can_open": can(request, "reviews.open_case"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    form = CaseEditForm(
        request.POST if request.method == "POST" else None,
        initial=CaseForm.initial_for(case),
        identifiers=_identifiers(request, case),
        agencies=partnership_selectors.agency_list(
            partnership=case.partnership, include_inactive=True
        ),
        themes=theme_list(),
        current_agencies=case.agencies.all(),
        current_themes=case.themes.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(auditor=Auditor.from_request(request), case=case, **_checked(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The case was changed")
            return _to_case(case)
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    return render(
        request,
        "reviews/case_form.jinja",
        {"form": form, "case": case, "partnership": case.partnership},
    )


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_overview_for(request.user, pk)
    _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    overview = selectors.case_overview(case=case)
    return render(
        request,
        "reviews/case_detail.jinja",
        {
            "case": case,
            "overview": overview,
            "can_change_children": can(request, "reviews.change_children", case),
        },
    )


# Identifying details: views/intake.py (child by child). ----------------------------------


# Findings and recommendations -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        themes=list(theme_list()),
        identifiers=_identifiers(request, case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add(auditor=Auditor.from_request(request), case=case, **_checked(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The finding was added")
            return _to_case(case, "#findings")
    return render(request, "reviews/finding_form.jinja", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        agencies=list(partnership_selectors.agency_list(partnership=case.partnership)),
        themes=list(theme_list()),
        identifiers=_identifiers(request, case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                auditor=Auditor.from_request(request), case=case, **_checked(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The recommendation was added")
            return _to_case(case, "#recommendations")
    return render(request, "reviews/recommendation_form.jinja", {"case": case, "form": form})


# Documents ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_version_upload(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    document = selectors.document_get(case=case, pk=document_pk)
    posted = request.method == "POST"
    form = DocumentVersionCheckedForm(
        request.POST if posted else None,
        request.FILES or None,
        # The file's name is checked against every child's identifiers (on a post only).
        identifiers=selectors.case_identifier_list(case=case) if posted else (),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_upload_checked(
                auditor=Auditor.from_request(request),
                case=case,
                stage=document.stage,
                title=document.title,
                file=form.cleaned_data["file"],
                document=document,
                anonymity_matches=form.anonymity_matches if form.anonymity_override_used else None,
                anonymity_reason=form.anonymity_reason,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} of {document.title} was uploaded")
            return _to_case(case, "#documents")
    return render(
        request, "reviews/document_form.jinja", {"case": case, "form": form, "document": document}
    )


def document_download(request: HttpRequest, version_pk: int) -> HttpResponse:
    """Case document links made before the core file store (issue 7) keep working: a
    document's versions kept their numbers when they moved, and the core's download view
    serves them, asking `reviews.files.can_download_document`."""
    return file_download(request, version_pk)


# Slippage -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def slippage_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    clocks = selectors.case_clocks(case=case)
    form = SlippageForm(request.POST if request.method == "POST" else None, clocks=clocks)
    if request.method == "POST" and form.is_valid():
        try:
            services.slippage_record(
                auditor=Auditor.from_request(request), case=case, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The slippage was recorded")
            return _to_case(case, "#slippage")
    return render(
        request, "reviews/slippage_form.jinja", {"case": case, "form": form, "clocks": clocks}
    )


urlpatterns = [
    path("cases/", case_list, name="case_list"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case_edit, name="case_edit"),
    path("cases/<int:pk>/findings/new/", finding_create, name="finding_create"),
    path(
        "cases/<int:pk>/recommendations/new/", recommendation_create, name="recommendation_create"
    ),
    # cases/<pk>/documents/new/ (document_upload) is views/requests.py's: new or new version.
    path(
        "cases/<int:pk>/documents/<int:document_pk>/new-version/",
        document_version_upload,
        name="document_version_upload",
    ),
    path("documents/<int:version_pk>/download/", document_download, name="document_download"),
    path("cases/<int:pk>/slippage/new/", slippage_create, name="slippage_create"),
]
