"""Pages across cases: the deadline calculator, timeliness figures, the independent reviewer's
own review, and an agency lead's recommendations (and the old address of needs attention)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import require

from .. import selectors
from ..forms.dashboards import DeadlineCalculatorForm, TimelinessForm, financial_year

PAGE_SIZE = 50


def _require(request: HttpRequest, permission: str) -> None:
    # The rules themselves, not Django's superuser shortcut: a system administrator holds
    # no partnership role, so sees no case material (deny by default, design.md).
    require(request, permission)


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Needs attention is the core's now, across every app: old links and bookmarks follow it
    there, and the page itself decides who may see it."""
    return redirect("core:needs_attention")


@login_required
@require_safe
def calculator(request: HttpRequest) -> HttpResponse:
    """A calculation only: nothing is saved, so the form is sent with GET."""
    _require(request, "reviews.use_calculator")
    form = DeadlineCalculatorForm(request.GET or None)
    result = form.result() if form.is_bound and form.is_valid() else None
    return render(request, "reviews/calculator.jinja", {"form": form, "result": result})


@login_required
@require_safe
def timeliness(request: HttpRequest) -> HttpResponse:
    _require(request, "reviews.view_timeliness")
    start, end = financial_year(selectors.today())
    form = TimelinessForm(request.GET or None, initial={"date_from": start, "date_to": end})
    shares = checks = None
    if not form.is_bound or form.is_valid():
        if form.is_bound:
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        checks = selectors.seven_day_checks(user=request.user, start=start, end=end)
        shares = selectors.timeliness(user=request.user, start=start, end=end, checks=checks)
    return render(
        request,
        "reviews/timeliness.jinja",
        {"form": form, "shares": shares, "checks": checks, "start": start, "end": end},
    )


@login_required
@require_safe
def reviewer_reviews(request: HttpRequest) -> HttpResponse:
    _require(request, "reviews.view_own_reviews")
    reviews = selectors.reviewer_review_list(user=request.user)
    return render(request, "reviews/reviewer_reviews.jinja", {"reviews": reviews})


@login_required
@require_safe
def reviewer_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "reviews.view_own_reviews")
    review = selectors.review_for_reviewer(user=request.user, pk=pk)
    Auditor.from_request(request).read(
        review,
        action="reviews.practice_review.read",
        summary=f"Viewed the practice review for {review.case.reference}",
    )
    shared_documents, documents = selectors.reviewer_documents(review=review)
    return render(
        request,
        "reviews/reviewer_review.jinja",
        {
            "shared_documents": shared_documents,
            "review": review,
            "case": review.case,
            "clocks": selectors.reviewer_review_clocks(review=review),
            "documents": documents,
            "plan": selectors.milestone_plan(review=review),
        },
    )


@login_required
@require_safe
def agency_recommendations(request: HttpRequest) -> HttpResponse:
    _require(request, "reviews.view_agency_recommendations")
    page = Paginator(
        selectors.recommendations_for_agency_lead(user=request.user), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    Auditor.from_request(request).read_list(
        action="reviews.recommendations.read",
        summary="Viewed the recommendations addressed to their agency",
        partnership_ids=request.user.partnership_ids if page.object_list else (),
    )
    return render(request, "reviews/agency_recommendations.jinja", {"page": page})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("deadline-calculator/", calculator, name="calculator"),
    path("timeliness/", timeliness, name="timeliness"),
    path("my-reviews/", reviewer_reviews, name="reviewer_reviews"),
    path("my-reviews/<int:pk>/", reviewer_review, name="reviewer_review"),
    path("recommendations/", agency_recommendations, name="agency_recommendations"),
]
