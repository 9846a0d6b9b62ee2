"""The case review group's meeting pack for a rapid review, and its record of the meeting.

Case team only (the business unit and case review group of the case's partnership); anyone
else gets a 404. The pack is read from the records: the summaries received and still out, the
case's dates in order, the children by pseudonym, and the decision to make.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods

from learninghub.core.audit.auditor import Auditor

from .. import selectors, services
from ..forms.meeting import MeetingForm
from .stages import _data, _notified_on, _page, _service_errors


@login_required
@require_http_methods(["GET", "POST"])
def rapid_review_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.record_meeting")
    if _notified_on(case) is None:
        # The rapid review, and so its meeting, starts when the Panel is notified.
        return redirect("reviews:rapid_review", pk=case.pk)
    pack = selectors.meeting_pack(case=case)
    form = MeetingForm(_data(request), initial=MeetingForm.initial_for(pack.rapid_review))
    if request.method == "POST" and form.is_valid():
        try:
            services.rapid_review_meeting_record(
                auditor=Auditor.from_request(request), case=case, **form.service_data()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "The rapid review meeting was recorded")
            return redirect("reviews:rapid_review_meeting", pk=case.pk)
    return _page(request, "reviews/rapid_review_meeting.jinja", case, form=form, pack=pack)


urlpatterns = [
    path(
        "cases/<int:pk>/rapid-review/meeting/",
        rapid_review_meeting,
        name="rapid_review_meeting",
    ),
]
