"""The statutory stages of a case: notification, rapid review and practice review.

Case team only (the business unit and case review group of the case's partnership); anyone
else gets a 404. Each page shows the stage's statutory deadline from the stored clocks, and
each form is one call to one service, which holds the rules and the guards between stages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.forms import add_service_errors

from .. import selectors, services, stages
from ..forms.requests import InformationRequestsForm, WithdrawRequestForm
from ..forms.stages import (
    InformationRequestReturnForm,
    NotificationForm,
    PracticeReviewForm,
    PracticeReviewHoldForm,
    PracticeReviewNotPublishingForm,
    PracticeReviewReleaseHoldForm,
    PracticeReviewStartForm,
    RapidReviewForm,
)


def _practice_review(request: HttpRequest, pk: int):
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    review = getattr(case, "practice_review", None)
    if review is None:
        raise Http404
    return case, review


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _service_errors(form, error: ValidationError) -> None:
    """Show a service's messages against the form's own questions."""
    if hasattr(error, "error_dict") and form.service_fields:
        mapped: dict[str, list] = {}
        for field, errors in error.error_dict.items():
            mapped.setdefault(form.service_fields.get(field, field), []).extend(errors)
        error = ValidationError(mapped)
    add_service_errors(form, error)


def _page(request: HttpRequest, template: str, case, **context) -> HttpResponse:
    """Render a page of case material; every such read is in the access log."""
    Auditor.from_request(request).read(
        case, action="reviews.case.read", summary=f"Viewed case {case.reference}"
    )
    clocks = selectors.case_clocks(case=case)
    context.update(
        case=case,
        clocks={c.kind: c for c in clocks if c.information_request_id is None},
        request_clocks={c.information_request_id: c for c in clocks if c.information_request_id},
    )
    return render(request, template, context)


# Notification ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notification(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    current = getattr(case, "notification", None)
    form = NotificationForm(_data(request), initial=NotificationForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_record(
                auditor=Auditor.from_request(request), case=case, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The notification was saved")
            return redirect("reviews:notification", pk=case.pk)
    return _page(request, "reviews/notification.jinja", case, form=form, notification=current)


# Rapid review ---------------------------------------------------------------------------


def _notified_on(case):
    current = getattr(case, "notification", None)
    return current.sent_to_panel_on if current is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def rapid_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    current = getattr(case, "rapid_review", None)
    form = RapidReviewForm(_data(request), initial=RapidReviewForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.rapid_review_update(
                auditor=Auditor.from_request(request), case=case, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The rapid review was saved")
            return redirect("reviews:rapid_review", pk=case.pk)
    return _page(
        request,
        "reviews/rapid_review.jinja",
        case,
        form=form,
        rapid_review=current,
        notified_on=_notified_on(case),
        information_requests=selectors.case_information_requests(case=case),
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask several agencies at once: one form, a checkbox per agency not yet asked."""
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    notified_on = _notified_on(case)
    if notified_on is None:
        return redirect("reviews:rapid_review", pk=case.pk)
    available, asked = selectors.agencies_for_request_form(case=case)
    form = InformationRequestsForm(
        _data(request),
        agencies=available,
        default_due=calendar.add_working_days(
            notified_on, services.INFORMATION_REQUEST_WORKING_DAYS
        ),
        initial={"requested_on": timezone.localdate(), "details": services.DEFAULT_DETAILS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.information_requests_create(
                auditor=Auditor.from_request(request), case=case, **form.cleaned_data
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            names = ", ".join(r.agency.name for r in created)
            messages.success(request, f"Asked for their summaries: {names}")
            return redirect("reviews:rapid_review", pk=case.pk)
    return _page(request, "reviews/information_request_create.jinja", case, form=form, asked=asked)


@login_required
@require_http_methods(["GET", "POST"])
def information_request_withdraw(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    asked = selectors.information_request_get(case=case, pk=request_pk)
    if asked.withdrawn_on or asked.returned_on:
        return redirect("reviews:rapid_review", pk=case.pk)
    form = WithdrawRequestForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_withdraw(
                auditor=Auditor.from_request(request), request=asked, **form.cleaned_data
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"The request to {asked.agency.name} was withdrawn")
            return redirect("reviews:rapid_review", pk=case.pk)
    return _page(
        request, "reviews/information_request_withdraw.jinja", case, form=form, asked=asked
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request_return(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    asked = selectors.information_request_get(case=case, pk=request_pk)
    if asked.withdrawn_on:
        return redirect("reviews:rapid_review", pk=case.pk)
    form = InformationRequestReturnForm(
        _data(request),
        request.FILES if request.method == "POST" else None,
        initial={"returned_on": asked.returned_on or timezone.localdate()},
        has_file=selectors.request_summary(request=asked) is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_return(
                auditor=Auditor.from_request(request), request=asked, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"The summary from {asked.agency.name} was recorded")
            return redirect("reviews:rapid_review", pk=case.pk)
    return _page(request, "reviews/information_request_return.jinja", case, form=form, asked=asked)


# Practice review ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice_review_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    if getattr(case, "practice_review", None) is not None:
        return redirect("reviews:practice_review", pk=case.pk)
    current = getattr(case, "rapid_review", None)
    form = PracticeReviewStartForm(
        _data(request),
        initial=PracticeReviewStartForm.initial_for(current),
        children=selectors.case_children(case=case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review_start(
                auditor=Auditor.from_request(request), case=case, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The practice review was started")
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(
        request,
        "reviews/practice_review_start.jinja",
        case,
        form=form,
        rapid_review=current,
        offered=stages.practice_review_offered(current),
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_case")
    review = getattr(case, "practice_review", None)
    if review is None:
        return redirect("reviews:practice_review_start", pk=case.pk)
    form = PracticeReviewForm(
        _data(request),
        reviewers=selectors.independent_reviewer_choices(partnership_id=case.partnership_id),
        current=review.independent_reviewer,
        reports=selectors.published_report_choices(review=review),
        initial=PracticeReviewForm.initial_for(review),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review_update(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The practice review was saved")
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(
        request,
        "reviews/practice_review.jinja",
        case,
        form=form,
        review=review,
        plan=selectors.milestone_plan(review=review),
        revisions=selectors.publication_revisions(review=review),
        late_after=selectors.late_against_six_months(review),
        seven_days=selectors.seven_day_check(review),
        published_until=services.published_until(review.published_on)
        if review.published_on
        else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_review_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case, review = _practice_review(request, pk)
    initial = {
        "reason": review.hold_reason,
        "started_on": review.hold_started_on or timezone.localdate(),
        "panel_told_on": review.hold_panel_told_on,
    }
    form = PracticeReviewHoldForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review_hold(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request, "The practice review is on hold. The publication clock is suspended"
            )
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(request, "reviews/practice_review_hold.jinja", case, form=form, review=review)


@login_required
@require_http_methods(["GET", "POST"])
def practice_review_release_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case, review = _practice_review(request, pk)
    form = PracticeReviewReleaseHoldForm(
        _data(request), initial={"released_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review_release_hold(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The hold was released. The publication clock has restarted")
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(
        request, "reviews/practice_review_release_hold.jinja", case, form=form, review=review
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_review_not_publishing(request: HttpRequest, pk: int) -> HttpResponse:
    case, review = _practice_review(request, pk)
    initial = {
        "reasons": review.not_publishing_reasons,
        "reasons_sent_on": review.not_publishing_reasons_sent_on,
    }
    form = PracticeReviewNotPublishingForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review_not_publishing(
                auditor=Auditor.from_request(request), review=review, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The decision not to publish was recorded")
            return redirect("reviews:practice_review", pk=case.pk)
    return _page(
        request, "reviews/practice_review_not_publishing.jinja", case, form=form, review=review
    )


urlpatterns = [
    path("cases/<int:pk>/notification/", notification, name="notification"),
    path("cases/<int:pk>/rapid-review/", rapid_review, name="rapid_review"),
    path(
        "cases/<int:pk>/rapid-review/requests/new/",
        information_request_create,
        name="information_request_create",
    ),
    path(
        "cases/<int:pk>/rapid-review/requests/<int:request_pk>/withdraw/",
        information_request_withdraw,
        name="information_request_withdraw",
    ),
    path(
        "cases/<int:pk>/rapid-review/requests/<int:request_pk>/return/",
        information_request_return,
        name="information_request_return",
    ),
    path(
        "cases/<int:pk>/practice-review/start/",
        practice_review_start,
        name="practice_review_start",
    ),
    path("cases/<int:pk>/practice-review/", practice_review, name="practice_review"),
    path("cases/<int:pk>/practice-review/hold/", practice_review_hold, name="practice_review_hold"),
    path(
        "cases/<int:pk>/practice-review/release-hold/",
        practice_review_release_hold,
        name="practice_review_release_hold",
    ),
    path(
        "cases/<int:pk>/practice-review/not-publishing/",
        practice_review_not_publishing,
        name="practice_review_not_publishing",
    ),
]
