"""Spreadsheet downloads (.xlsx or .csv): the case list, the timeliness figures (the figures,
and case by case) and a case's deadlines.

Each download checks the same permission as the page it comes from, applies the same filters,
and is audited as a read of the case material it holds.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import require
from learninghub.core.spreadsheets import Column, export_response

from .. import exports, selectors
from .. import rules as review_rules
from ..filters import CaseFilter
from ..forms.dashboards import TimelinessForm, financial_year
from ..importers import CaseTrackerImporter

FORMATS = ("xlsx", "csv")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
@require_safe
def case_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    if not review_rules.in_any_case_team(request.user):
        raise Http404
    found = CaseFilter(request.GET, queryset=selectors.case_export_list(user=request.user))
    if found.is_bound and not found.is_valid():
        # The page shows what is wrong with the search; never download every case instead.
        return redirect(reverse("reviews:case_list") + "?" + urlencode(request.GET))
    cases = list(found.cases)
    Auditor.from_request(request).read_list(
        action="reviews.case_list.export",
        summary=f"Downloaded the list of cases ({len(cases)}) as a spreadsheet",
        partnership_ids={case.partnership_id for case in cases},
    )
    return export_response(filename_stem="Cases", fmt=fmt, columns=exports.CASE_LIST, rows=cases)


def _period(request: HttpRequest):
    """The timeliness page's period, or None when the form has an error (the page shows it)."""
    start, end = financial_year(selectors.today())
    form = TimelinessForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound:
        if not form.is_valid():
            return None
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return start, end


def _back_to_timeliness(request: HttpRequest) -> HttpResponse:
    query = urlencode(request.GET)
    return redirect(reverse("reviews:timeliness") + (f"?{query}" if query else ""))


@login_required
@require_safe
def timeliness_export(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    require(request, "reviews.view_timeliness")
    period = _period(request)
    if period is None:
        return _back_to_timeliness(request)
    start, end = period
    shares = selectors.timeliness(user=request.user, start=start, end=end)
    return export_response(
        filename_stem=f"Timeliness {start.isoformat()} to {end.isoformat()}",
        fmt=fmt,
        columns=exports.TIMELINESS_FIGURES,
        rows=shares,
        sheet_title="Timeliness",
    )


@login_required
@require_safe
def timeliness_cases_export(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    require(request, "reviews.view_timeliness")
    period = _period(request)
    if period is None:
        return _back_to_timeliness(request)
    start, end = period
    rows = selectors.timeliness_cases(user=request.user, start=start, end=end)
    Auditor.from_request(request).read_list(
        action="reviews.timeliness.export",
        summary=f"Downloaded timeliness case by case ({len(rows)} cases) as a spreadsheet",
        partnership_ids={row.partnership_id for row in rows},
    )
    return export_response(
        filename_stem=f"Timeliness by case {start.isoformat()} to {end.isoformat()}",
        fmt=fmt,
        columns=exports.TIMELINESS_CASES,
        rows=rows,
        sheet_title="Timeliness by case",
    )


@login_required
@require_safe
def case_deadlines_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fmt = _format(fmt)
    case = selectors.case_for(request.user, pk)
    Auditor.from_request(request).read(
        case,
        action="reviews.case_deadlines.export",
        summary=f"Downloaded the deadlines of case {case.reference} as a spreadsheet",
    )
    return export_response(
        filename_stem=f"{case.reference} deadlines",
        fmt=fmt,
        columns=exports.CASE_DEADLINES,
        rows=selectors.case_clocks(case=case),
        sheet_title="Deadlines",
    )


@login_required
@require_safe
def case_tracker_template(request: HttpRequest) -> HttpResponse:
    """An empty case tracker with the import's headings, to fill in and import."""
    partnership = getattr(request.user, "current_partnership", None)
    if partnership is None:
        raise Http404
    require(request, "reviews.import_cases", partnership)
    return export_response(
        filename_stem="Case tracker template",
        fmt="xlsx",
        columns=[Column(f.label, lambda row: None) for f in CaseTrackerImporter.fields],
        rows=[],
        sheet_title="Cases",
    )


urlpatterns = [
    path("cases/import-template/", case_tracker_template, name="case_tracker_template"),
    path("cases/export/<str:fmt>/", case_list_export, name="case_list_export"),
    path("timeliness/export/<str:fmt>/", timeliness_export, name="timeliness_export"),
    path(
        "timeliness/export-by-case/<str:fmt>/",
        timeliness_cases_export,
        name="timeliness_cases_export",
    ),
    path(
        "cases/<int:pk>/deadlines/export/<str:fmt>/",
        case_deadlines_export,
        name="case_deadlines_export",
    ),
]
