"""Publication or not: the decision not to publish, and the published report (the version
of a case document that went out), how long it must stay published, and the notice that
tells the business unit so."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.notify import absolute_url, notify
from learninghub.partnerships.selectors import business_unit_emails

from .. import stages
from ..models import Document, PracticeReview, Stage
from ._checks import _not_before, _not_future, _raise
from .clocks import sync_clocks

PUBLISHED_NOTICE = "reviews/notices/published_report"
# The stages a published report may come from.
REPORT_STAGES = (Stage.FINAL_REPORT, Stage.PRACTICE_REVIEW)


def published_until(published_on: date) -> date:
    """A published report stays published for at least a year."""
    return calendar.add_calendar_months(published_on, 12)


def _published_report(review: PracticeReview, merged: dict, document, errors: dict):
    """The version of the chosen document that went out; publication needs one."""
    if not merged["published_on"]:
        return None
    if document is None:
        if review.published_report_id is None:
            errors.setdefault(
                "published_document",
                "Choose the published report: the final report as it was published",
            )
        return None
    if (
        not isinstance(document, Document)
        or document.case_id != review.case_id
        or document.stage not in REPORT_STAGES
    ):
        errors.setdefault("published_document", "Choose a final report of this case")
        return None
    stored = document.stored_file
    version = stored.latest if stored is not None else None
    if version is None:
        errors.setdefault("published_document", "That document has no file. Choose another")
    return version


def _notify_published(review: PracticeReview) -> None:
    """Tell the business unit the report must stay published for at least a year."""
    to = business_unit_emails(review.case.partnership_id)
    if not to:
        return
    case = review.case
    notify(
        to=to,
        template=PUBLISHED_NOTICE,
        context={
            "reference": case.reference,
            "pseudonym": case.pseudonym,
            "published": calendar.format_date(review.published_on),
            "until": calendar.format_date(published_until(review.published_on)),
            "link": absolute_url(reverse("reviews:practice_review", args=[case.pk])),
        },
        reference=f"practice review {review.pk} published",
    )


@transaction.atomic
def practice_review_not_publishing(
    *, auditor: Auditor, review: PracticeReview, reasons: str, reasons_sent_on: date | None
) -> PracticeReview:
    """A partnership that decides not to publish sends its reasons to the Panel and the SoS."""
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "not_publishing", practice_review=review)
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for not publishing"
    _not_future(errors, "reasons_sent_on", reasons_sent_on, "The date the reasons were sent")
    _not_before(
        errors,
        "reasons_sent_on",
        reasons_sent_on,
        review.decision_date,
        "The reasons are sent after the decision to review",
    )
    _raise(errors)
    before = snapshot(
        review, ["not_publishing", "not_publishing_reasons", "not_publishing_reasons_sent_on"]
    )
    review.not_publishing = True
    review.not_publishing_reasons = reasons.strip()
    review.not_publishing_reasons_sent_on = reasons_sent_on
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.not_publishing",
        summary=f"Recorded the decision not to publish {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review
