"""The practice review's forward plan: milestones with planned and actual dates, and
revised publication dates.

The case team plans, adds and removes milestones and revises the publication date; the
review's own independent reviewer records the dates milestones happened. Anyone else gets
a 404, so the review's existence does not leak.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import can

from .. import selectors, services
from ..forms.milestones import (
    MilestoneAddForm,
    MilestoneForm,
    MilestoneRemoveForm,
    PublicationRevisionForm,
)
from .stages import _service_errors


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _render(request: HttpRequest, template: str, review, **context) -> HttpResponse:
    Auditor.from_request(request).read(
        review,
        action="reviews.practice_review.read",
        summary=f"Viewed the milestones of {review.case.reference}",
    )
    may_plan = can(request.user, "reviews.plan_milestones", review)
    context.update(review=review, case=review.case, may_plan=may_plan)
    return render(request, template, context)


def _back(request: HttpRequest, review) -> str:
    return redirect("reviews:milestones", pk=review.case_id)


@login_required
@require_safe
def milestones(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.milestone_review_for(request.user, pk)
    return _render(
        request,
        "reviews/milestones.jinja",
        review,
        plan=selectors.milestone_plan(review=review),
        late_after=selectors.late_against_six_months(review),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_record(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    review = selectors.milestone_review_for(request.user, pk)
    milestone = selectors.milestone_get(review=review, pk=milestone_pk)
    may_plan = can(request.user, "reviews.plan_milestones", review)
    form = MilestoneForm(
        _data(request),
        may_plan=may_plan,
        initial={"planned_on": milestone.planned_on, "actual_on": milestone.actual_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                auditor=Auditor.from_request(request), milestone=milestone, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"{milestone.title} was saved")
            return _back(request, review)
    return _render(request, "reviews/milestone_form.jinja", review, form=form, milestone=milestone)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.milestone_review_for(request.user, pk, "reviews.plan_milestones")
    form = MilestoneAddForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.milestone_add(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"{added.title} was added")
            return _back(request, review)
    return _render(request, "reviews/milestone_add.jinja", review, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_remove(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    review = selectors.milestone_review_for(request.user, pk, "reviews.plan_milestones")
    milestone = selectors.milestone_get(review=review, pk=milestone_pk)
    form = MilestoneRemoveForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_remove(auditor=Auditor.from_request(request), milestone=milestone)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"{milestone.title} was removed")
            return _back(request, review)
    return _render(
        request, "reviews/milestone_remove.jinja", review, form=form, milestone=milestone
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_revise(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.milestone_review_for(request.user, pk, "reviews.plan_milestones")
    form = PublicationRevisionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_revise(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The revised publication date was recorded")
            return redirect("reviews:practice_review", pk=review.case_id)
    return _render(
        request,
        "reviews/publication_revision.jinja",
        review,
        form=form,
        revisions=selectors.publication_revisions(review=review),
    )


urlpatterns = [
    path("cases/<int:pk>/practice-review/milestones/", milestones, name="milestones"),
    path("cases/<int:pk>/practice-review/milestones/new/", milestone_add, name="milestone_add"),
    path(
        "cases/<int:pk>/practice-review/milestones/<int:milestone_pk>/",
        milestone_record,
        name="milestone_record",
    ),
    path(
        "cases/<int:pk>/practice-review/milestones/<int:milestone_pk>/remove/",
        milestone_remove,
        name="milestone_remove",
    ),
    path(
        "cases/<int:pk>/practice-review/revise-publication/",
        publication_revise,
        name="publication_revise",
    ),
]
