"""Putting mistakes right: a practice review's kind changed with a reason, and a case closed
as recorded in error (kept, audited, out of the lists; reachable by its address).

The business unit of the case's partnership only; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor

from .. import rules as review_rules
from .. import selectors, services
from ..forms.corrections import RecordedInErrorForm, ReopenForm, ReviewKindForm
from .stages import _data, _page, _service_errors

CORRECT = "reviews.correct_case"


@login_required
@require_http_methods(["GET", "POST"])
def practice_review_kind(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, CORRECT)
    review = getattr(case, "practice_review", None)
    if review is None:
        raise Http404
    form = ReviewKindForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.review_kind_change(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request,
                f"The review is now a {changed.get_kind_display().lower()}. "
                "Its deadlines were worked out again",
            )
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(request, "reviews/practice_review_kind.jinja", case, form=form, review=review)


@login_required
@require_http_methods(["GET", "POST"])
def case_recorded_in_error(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, CORRECT)
    if case.recorded_in_error_on:
        form = ReopenForm(_data(request))
        service = services.case_reopen
        done = "The case was reopened. Its deadlines are back"
    else:
        form = RecordedInErrorForm(_data(request))
        service = services.case_recorded_in_error
        done = "The case was closed as recorded in error"
    if request.method == "POST" and form.is_valid():
        try:
            service(auditor=Auditor.from_request(request), case=case, **form.service_data())
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("reviews:case_detail", pk=case.pk)
    return _page(request, "reviews/case_recorded_in_error.jinja", case, form=form)


@login_required
@require_safe
def cases_recorded_in_error(request: HttpRequest) -> HttpResponse:
    if not review_rules.in_any_business_unit(request.user):
        raise Http404
    cases = list(selectors.cases_recorded_in_error(user=request.user))
    Auditor.from_request(request).read_list(
        action="reviews.case_list.read",
        summary="Viewed the cases recorded in error",
        partnership_ids={case.partnership_id for case in cases},
    )
    return render(request, "reviews/cases_recorded_in_error.jinja", {"cases": cases})


urlpatterns = [
    path("cases/recorded-in-error/", cases_recorded_in_error, name="cases_recorded_in_error"),
    path(
        "cases/<int:pk>/recorded-in-error/", case_recorded_in_error, name="case_recorded_in_error"
    ),
    path("cases/<int:pk>/practice-review/kind/", practice_review_kind, name="practice_review_kind"),
]
