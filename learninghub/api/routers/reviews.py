"""Case reviews: the statutory process of a serious child safeguarding case, as the pages have it.

Case material is restricted to the business unit and case review group of the case's
partnership. Anyone else gets 404, as on the pages, so a case's existence never leaks:
another partnership's business unit, independent reviewers, agency leads, practitioners and
system administrators alike. The lists and the deadline calculator answer 404 too, to
those the matching pages refuse.

Reads take an API token or a signed-in session (the session has passed two-factor
authentication: the middleware sees to it), so the case review group, who hold no tokens,
can read. Writes take a token only, one that may write (a read-only token answers 403), and
only for what the pages let its person do; as only the business unit holds tokens
(api.hold_token), the business unit is who writes here. Each read of a case is in the access
log, as on the pages.

A case's identifying details are never returned: no schema here has a field for them.
"""

# No `from __future__ import annotations` here: ninja must see `Query[...]` as a type, not
# a string, to read the query parameters.

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, client_ip
from learninghub.core.permissions import require
from learninghub.reviews import rules as review_rules
from learninghub.reviews import selectors, services
from learninghub.reviews.stages import stage_of

from ..auth import token_auth
from ..pagination import Pagination
from ..schemas import ErrorOut, ValidationErrorOut
from ..schemas_reviews import (
    CaseFilters,
    CaseOpenIn,
    CaseOut,
    CaseSummaryOut,
    ClockOut,
    DeadlineOut,
    DeadlineQuery,
    FindingIn,
    FindingOut,
    InformationRequestIn,
    InformationRequestOut,
    InformationRequestReturnIn,
    NotificationIn,
    NotificationOut,
    PracticeReviewHoldIn,
    PracticeReviewIn,
    PracticeReviewNotPublishingIn,
    PracticeReviewOut,
    PracticeReviewStartIn,
    RapidReviewIn,
    RapidReviewOut,
    RecommendationIn,
    RecommendationOut,
)

router = Router(tags=["case reviews"])


def session_auth(request: HttpRequest):
    """A signed-in session may read case material; it never authorises a write.

    A plain callable rather than ninja's cookie scheme: the OpenAPI document offers one way
    in, the token, and the browser's session works for reads all the same.
    """
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# The token first: when both are sent, the token's person is the one reading.
READ_AUTH = [token_auth, session_auth]
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 403: a read-only token (see auth.py).
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

NO_PRACTICE_REVIEW = "This case has no practice review. Start one first"
# A service names what it refuses in its own terms; a client knows the API's input names.
SERVICE_FIELDS = {
    "agencies": "agency_ids",
    "agency": "agency_id",
    "independent_reviewer": "independent_reviewer_id",
    "published_document": "published_document_id",
    # A box the page asks to tick; here the request itself is the confirmation.
    "confirm": "__all__",
}


def _auditor(request: HttpRequest) -> Auditor:
    return Auditor(actor=request.auth, ip_address=client_ip(request))


def _service(function, **kwargs):
    """Call a service; its refusals keep their messages, keyed by the API's input names."""
    try:
        return function(**kwargs)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed: dict[str, list] = {}
        for field, errors in error.error_dict.items():
            renamed.setdefault(SERVICE_FIELDS.get(field, field), []).extend(errors)
        raise ValidationError(renamed) from None


def _one_to_one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _read(request: HttpRequest, case) -> None:
    _auditor(request).read(
        case, action="reviews.case.read", summary=f"Viewed case {case.reference} through the API"
    )


def _practice_review(request: HttpRequest, case_id: int):
    """The case's practice review, for the case team to change; 404 if there is none yet."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    review = _one_to_one(case, "practice_review")
    if review is None:
        raise HttpError(404, NO_PRACTICE_REVIEW)
    return review


def _reviewer(review, reviewer_id: int | None):
    """One of the partnership's independent reviewers. The one already appointed stays
    acceptable after leaving the role, as on the page, so other changes never drop them."""
    if reviewer_id is None:
        return None
    if reviewer_id == review.independent_reviewer_id:
        return review.independent_reviewer
    reviewer = selectors.independent_reviewer_get(
        partnership_id=review.case.partnership_id, pk=reviewer_id
    )
    if reviewer is None:
        raise ValidationError(
            {"independent_reviewer_id": "Choose an independent reviewer from the list"}
        )
    return reviewer


def _rapid_review_out(rapid_review, information_requests) -> dict | None:
    if rapid_review is None:
        return None
    return {
        "meeting_date": rapid_review.meeting_date,
        "partners_signed_off_on": rapid_review.partners_signed_off_on,
        "decision": rapid_review.decision or None,
        "decision_label": rapid_review.get_decision_display() or None,
        "decision_reasons": rapid_review.decision_reasons,
        "sent_to_panel_on": rapid_review.sent_to_panel_on,
        "panel_response": rapid_review.panel_response or None,
        "panel_response_label": rapid_review.get_panel_response_display() or None,
        "panel_response_notes": rapid_review.panel_response_notes,
        "panel_response_on": rapid_review.panel_response_on,
        "information_requests": information_requests,
    }


def _case_out(case) -> dict:
    """Everything the API tells about a case, field by field: nothing else can leak out."""
    return {
        "id": case.pk,
        "partnership": case.partnership,
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "children": list(case.children.all()),
        "cdop_reference": case.cdop_reference,
        "opened_at": case.opened_at,
        "stage": stage_of(case),
        "agencies": list(case.agencies.all()),
        "themes": list(case.themes.all()),
        "notification": _one_to_one(case, "notification"),
        "rapid_review": _rapid_review_out(
            _one_to_one(case, "rapid_review"), selectors.case_information_request_list(case=case)
        ),
        "practice_review": _one_to_one(case, "practice_review"),
        "findings": list(selectors.case_findings(case=case)),
        "recommendations": list(selectors.case_recommendations(case=case)),
        "clocks": selectors.case_clocks(case=case),
    }


def _agencies(partnership, ids: list[int]) -> list:
    found = selectors.active_agencies_by_ids(partnership=partnership, ids=ids)
    if len(found) != len(set(ids)):
        raise ValidationError({"agency_ids": "Choose agencies in this partnership"})
    return found


def _themes(keys: list[int | str]) -> list:
    ids = {k for k in keys if isinstance(k, int)}
    slugs = {k for k in keys if isinstance(k, str)}
    found = selectors.active_themes_by_keys(ids=ids, slugs=slugs)
    if ids - {t.pk for t in found} or slugs - {t.slug for t in found}:
        raise ValidationError({"themes": "Choose themes from the list"})
    return found


def _partnership_for_new_case(user, partnership_id: int | None):
    partnerships = selectors.business_unit_partnerships(user=user)
    if partnership_id is None:
        if len(partnerships) == 1:
            return partnerships[0]
        raise ValidationError(
            {
                "partnership_id": "You are in the business unit of more than one partnership. "
                "Give the partnership_id of the one to open the case in"
            }
        )
    for partnership in partnerships:
        if partnership.pk == partnership_id:
            return partnership
    raise ValidationError({"partnership_id": "Choose a partnership whose business unit you are in"})


# Cases ----------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: list[CaseSummaryOut], **READ_ERRORS},
    url_name="case_list",
    operation_id="case_list",
    summary="List cases",
    auth=READ_AUTH,
)
@paginate(Pagination)
def case_list(request: HttpRequest, filters: Query[CaseFilters]):
    """The cases of your partnership, newest first, each with its next deadline.

    Filter by `stage` (notification, rapid_review, practice_review, published) or search
    the reference and pseudonym with `q`. For the business unit and case review group,
    with an API token or a signed-in session.
    """
    if not review_rules.in_any_case_team(request.auth):
        raise Http404
    _auditor(request).read_list(
        action="reviews.case_list.read",
        summary="Listed cases through the API",
        partnership_ids=selectors.case_team_partnership_ids(user=request.auth),
    )
    return selectors.case_list_with_next_deadline(
        user=request.auth, search=filters.q.strip(), stage=filters.stage or ""
    )


@router.post(
    "/cases",
    response={201: CaseOut, **WRITE_ERRORS},
    url_name="case_open",
    operation_id="case_open",
    summary="Open a case",
    auth=token_auth,
)
def case_open(request: HttpRequest, payload: CaseOpenIn):
    """Open a case under a pseudonym (business unit), naming its children (1 to 4); with
    `notification`, record how it began in the same call, so its clocks start at once.
    Identifying details are not taken here: they are kept apart, on the case's identifying
    details page."""
    user = request.auth
    require(user, "reviews.open_case")
    partnership = _partnership_for_new_case(user, payload.partnership_id)
    # With its notification, the case opens and the clocks start in one transaction.
    notification = payload.notification.dict() if payload.notification else None
    case = _service(
        services.notification_open if notification else services.case_open,
        auditor=_auditor(request),
        partnership=partnership,
        reference=payload.reference,
        pseudonym=payload.pseudonym,
        children=[child.dict() for child in payload.children],
        agencies=_agencies(partnership, payload.agency_ids),
        themes=_themes(payload.themes),
        cdop_reference=payload.cdop_reference,
        **(notification or {}),
    )
    return Status(201, _case_out(selectors.case_get(user=user, pk=case.pk)))


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **READ_ERRORS},
    url_name="case_detail",
    operation_id="case_detail",
    summary="Get a case",
    auth=READ_AUTH,
)
def case_detail(request: HttpRequest, case_id: int):
    """The case and every stage recorded so far, with its statutory clocks. For the case's
    business unit and case review group, with an API token or a signed-in session."""
    case = selectors.case_for(request.auth, case_id)
    _read(request, case)
    return _case_out(case)


@router.get(
    "/cases/{case_id}/clocks",
    response={200: list[ClockOut], **READ_ERRORS},
    url_name="case_clocks",
    operation_id="case_clocks",
    summary="List a case's deadlines",
    auth=READ_AUTH,
)
def case_clocks(request: HttpRequest, case_id: int):
    """Every statutory deadline of the case, soonest first, with the rule it comes from and
    its status: on track, due soon (3 working days or fewer), overdue, met or met late."""
    case = selectors.case_for(request.auth, case_id)
    _read(request, case)
    return selectors.case_clocks(case=case)


# Notification and rapid review ----------------------------------------------------------


@router.put(
    "/cases/{case_id}/notification",
    response={200: NotificationOut, **WRITE_ERRORS},
    url_name="notification_record",
    operation_id="notification_record",
    summary="Record the serious incident notification",
    auth=token_auth,
)
def notification_record(request: HttpRequest, case_id: int, payload: NotificationIn):
    """Record or correct the notification, in full. Due 5 working days after the local
    authority became aware. Recording when it was sent to the Panel starts the rapid review."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    return _service(
        services.notification_record,
        auditor=_auditor(request),
        case=case,
        **payload.model_dump(),
    )


@router.patch(
    "/cases/{case_id}/rapid-review",
    response={200: RapidReviewOut, **WRITE_ERRORS},
    url_name="rapid_review_update",
    operation_id="rapid_review_update",
    summary="Change the rapid review",
    auth=token_auth,
)
def rapid_review_update(request: HttpRequest, case_id: int, payload: RapidReviewIn):
    """Record the meeting, sign-off, decision, date sent to the Panel and the Panel's response.

    Only the fields sent change. Due 15 working days after the notification.
    """
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    changes = payload.model_dump(exclude_unset=True)
    rapid_review = _one_to_one(case, "rapid_review")
    if changes or rapid_review is None:
        rapid_review = _service(
            services.rapid_review_update, auditor=_auditor(request), case=case, **changes
        )
    return _rapid_review_out(rapid_review, selectors.case_information_request_list(case=case))


@router.post(
    "/cases/{case_id}/information-requests",
    response={201: InformationRequestOut, **WRITE_ERRORS},
    url_name="information_request_create",
    operation_id="information_request_create",
    summary="Ask an agency for its summary",
    auth=token_auth,
)
def information_request_create(request: HttpRequest, case_id: int, payload: InformationRequestIn):
    """Ask one of the partnership's agencies for its summary of involvement, for the rapid
    review. Due on day 10 after the notification unless `due_on` says otherwise."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    agencies = selectors.active_agencies_by_ids(
        partnership=case.partnership, ids=[payload.agency_id]
    )
    if not agencies:
        raise ValidationError({"agency_id": "Choose an agency in this partnership"})
    created = _service(
        services.information_request_create,
        auditor=_auditor(request),
        case=case,
        agency=agencies[0],
        requested_on=payload.requested_on,
        due_on=payload.due_on,
    )
    return Status(201, created)


@router.post(
    "/cases/{case_id}/information-requests/{request_id}/return",
    response={200: InformationRequestOut, **WRITE_ERRORS},
    url_name="information_request_return",
    operation_id="information_request_return",
    summary="Record an agency's summary as returned",
    auth=token_auth,
)
def information_request_return(
    request: HttpRequest, case_id: int, request_id: int, payload: InformationRequestReturnIn
):
    """Record the day the agency's summary came back, which meets its deadline. (Upload the
    summary itself on the rapid review page.)"""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    asked = selectors.information_request_get(case=case, pk=request_id)
    return _service(
        services.information_request_return,
        auditor=_auditor(request),
        request=asked,
        returned_on=payload.returned_on,
    )


# Practice review ------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/practice-review",
    response={201: PracticeReviewOut, **WRITE_ERRORS},
    url_name="practice_review_start",
    operation_id="practice_review_start",
    summary="Start the practice review",
    auth=token_auth,
)
def practice_review_start(request: HttpRequest, case_id: int, payload: PracticeReviewStartIn):
    """Start the local or national review the rapid review decided on. It is to be published
    within 6 months of the decision date."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    review = _service(
        services.practice_review_start,
        auditor=_auditor(request),
        case=case,
        kind=payload.kind,
        decision_date=payload.decision_date,
    )
    return Status(201, review)


@router.patch(
    "/cases/{case_id}/practice-review",
    response={200: PracticeReviewOut, **WRITE_ERRORS},
    url_name="practice_review_update",
    operation_id="practice_review_update",
    summary="Change the practice review",
    auth=token_auth,
)
def practice_review_update(request: HttpRequest, case_id: int, payload: PracticeReviewIn):
    """Appoint the independent reviewer, record the methodology, terms of reference,
    planned publication, date sent to the Panel and publication (milestones are their own).

    Only the fields sent change. Publishing less than 7 working days after sending the
    report to the Panel needs `publication_override_reason`, which is audited.
    """
    review = _practice_review(request, case_id)
    changes = payload.model_dump(exclude_unset=True)
    if not changes:
        return review
    if "independent_reviewer_id" in changes:
        changes["independent_reviewer"] = _reviewer(review, changes.pop("independent_reviewer_id"))
    if "published_document_id" in changes:
        document_id = changes.pop("published_document_id")
        reports = {d.pk: d for d in selectors.published_report_choices(review=review)}
        if document_id is not None and document_id not in reports:
            raise ValidationError({"published_document_id": "Choose a final report of this case"})
        changes["published_document"] = reports.get(document_id)
    return _service(
        services.practice_review_update, auditor=_auditor(request), review=review, **changes
    )


@router.post(
    "/cases/{case_id}/practice-review/hold",
    response={200: PracticeReviewOut, **WRITE_ERRORS},
    url_name="practice_review_hold",
    operation_id="practice_review_hold",
    summary="Put the practice review on hold",
    auth=token_auth,
)
def practice_review_hold(request: HttpRequest, case_id: int, payload: PracticeReviewHoldIn):
    """Hold the review for parallel proceedings, such as a criminal trial. The publication
    clock is suspended, with the reason shown, until the hold is released."""
    return _service(
        services.practice_review_hold,
        auditor=_auditor(request),
        review=_practice_review(request, case_id),
        reason=payload.reason,
        started_on=payload.started_on,
        panel_told_on=payload.panel_told_on,
    )


# `api_operation`, not `router.delete`: the architecture test flags every `.delete(` call.
@router.api_operation(
    ["DELETE"],
    "/cases/{case_id}/practice-review/hold",
    response={200: PracticeReviewOut, **WRITE_ERRORS},
    url_name="practice_review_release_hold",
    operation_id="practice_review_release_hold",
    summary="Release the hold",
    auth=token_auth,
)
def practice_review_release_hold(
    request: HttpRequest, case_id: int, released_on: date | None = None
):
    """Release the hold: the publication clock restarts. `released_on` (a query parameter,
    today when left out) is the date it was released."""
    return _service(
        services.practice_review_release_hold,
        auditor=_auditor(request),
        review=_practice_review(request, case_id),
        released_on=released_on or timezone.localdate(),
    )


@router.post(
    "/cases/{case_id}/practice-review/not-publishing",
    response={200: PracticeReviewOut, **WRITE_ERRORS},
    url_name="practice_review_not_publishing",
    operation_id="practice_review_not_publishing",
    summary="Record a decision not to publish",
    auth=token_auth,
)
def practice_review_not_publishing(
    request: HttpRequest, case_id: int, payload: PracticeReviewNotPublishingIn
):
    """Record the partnership's decision not to publish, with its reasons and the day they
    were sent to the Panel and the Secretary of State (which closes the publication clock)."""
    return _service(
        services.practice_review_not_publishing,
        auditor=_auditor(request),
        review=_practice_review(request, case_id),
        reasons=payload.reasons,
        reasons_sent_on=payload.reasons_sent_on,
    )


# Findings and recommendations -----------------------------------------------------------


@router.post(
    "/cases/{case_id}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    url_name="finding_create",
    operation_id="finding_create",
    summary="Add a finding",
    auth=token_auth,
)
def finding_create(request: HttpRequest, case_id: int, payload: FindingIn):
    """Text that may identify a child or family is refused (422, naming what was found),
    unless `anonymity_override_reason` says why it does not; the reason is audited."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    finding = _service(
        services.finding_add,
        auditor=_auditor(request),
        case=case,
        text=payload.text,
        themes=_themes(payload.themes),
        anonymity_override_reason=payload.anonymity_override_reason or "",
    )
    return Status(201, finding)


@router.post(
    "/cases/{case_id}/recommendations",
    response={201: RecommendationOut, **WRITE_ERRORS},
    url_name="recommendation_create",
    operation_id="recommendation_create",
    summary="Add a recommendation",
    auth=token_auth,
)
def recommendation_create(request: HttpRequest, case_id: int, payload: RecommendationIn):
    """Address a recommendation to the partnership as a whole (`to_partnership`), to named
    agencies (`agency_ids`), or both. Checked for anything that may identify a child or family
    as a finding is."""
    case = selectors.case_for(request.auth, case_id, "reviews.change_case")
    recommendation = _service(
        services.recommendation_add,
        auditor=_auditor(request),
        case=case,
        text=payload.text,
        to_partnership=payload.to_partnership,
        agencies=_agencies(case.partnership, payload.agency_ids),
        themes=_themes(payload.themes),
        anonymity_override_reason=payload.anonymity_override_reason or "",
    )
    return Status(201, recommendation)


# The deadline calculator ----------------------------------------------------------------


@router.get(
    "/deadlines",
    response={200: DeadlineOut, **READ_ERRORS},
    url_name="deadline_calculate",
    operation_id="deadline_calculate",
    summary="Work out a statutory deadline",
    auth=READ_AUTH,
)
def deadline_calculate(request: HttpRequest, params: Query[DeadlineQuery]):
    """The due date of a statutory rule counted from `start` (YYYY-MM-DD), as the deadline
    calculator page works it out: `notification` (5 working days from becoming aware),
    `rapid_review` (15 working days from the notification), `publication` (6 months from
    the decision) or `send_to_panel` (7 working days before the planned publication).
    Working days leave out weekends and bank holidays in England. For the business unit."""
    require(request.auth, "reviews.use_calculator")
    try:
        due = calendar.due_date(params.rule, params.start)
    except (ValueError, OverflowError):
        # The arithmetic runs off the end of the calendar (the year 9999 or before year 1).
        raise ValidationError(
            {"start": "The deadline falls outside the dates we can work out"}
        ) from None
    return {
        "rule": params.rule,
        "label": calendar.get_rule(params.rule).label,
        "start": params.start,
        "due_date": due,
        "description": calendar.describe(params.rule, params.start),
    }
