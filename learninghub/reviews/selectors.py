"""Every read of case review material, scoped to what the person may see.

A case the person may not see is never returned; its URL answers 404.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.selectors import audit_history_for_scope
from learninghub.core.files.encryption import decrypt_bytes
from learninghub.core.permissions import Role

from .models import (
    Case,
    CaseIdentifiers,
    Clock,
    ClockKind,
    Document,
    DocumentVersion,
    InformationRequest,
    PracticeReview,
    Recommendation,
)


def _team_partnership_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted(
        {
            m.partnership_id
            for m in user.active_memberships
            if m.role in (Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)
        }
    )


def _business_unit_partnership_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted(
        {m.partnership_id for m in user.active_memberships if m.role == Role.BUSINESS_UNIT}
    )


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(partnership_id__in=_team_partnership_ids(user))


def case_list(*, user, search: str = "", stage: str = "") -> QuerySet[Case]:
    cases = (
        cases_visible_to(user)
        .select_related("partnership", "notification", "rapid_review", "practice_review")
        .annotate(
            open_clocks=Count(
                "clocks", filter=Q(clocks__done_on__isnull=True, clocks__suspended=False)
            )
        )
    )
    if search:
        cases = cases.filter(Q(reference__icontains=search) | Q(pseudonym__icontains=search))
    if stage == "notification":
        cases = cases.filter(rapid_review__isnull=True)
    elif stage == "rapid_review":
        cases = cases.filter(rapid_review__isnull=False, practice_review__isnull=True)
    elif stage == "practice_review":
        cases = cases.filter(
            practice_review__isnull=False, practice_review__published_on__isnull=True
        )
    elif stage == "published":
        cases = cases.filter(practice_review__published_on__isnull=False)
    return cases.order_by("-opened_at", "-id")


def case_get(*, user, pk: int) -> Case:
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "partnership",
                "notification",
                "rapid_review",
                "practice_review__independent_reviewer",
            )
            .prefetch_related("agencies", "themes")
            .get(pk=pk)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def case_clocks(*, case: Case) -> list[Clock]:
    return list(
        case.clocks.select_related("information_request__agency").order_by("due_date", "id")
    )


def case_information_requests(*, case: Case) -> list[InformationRequest]:
    return list(
        InformationRequest.objects.filter(rapid_review__case=case)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "documents__versions",
                queryset=DocumentVersion.objects.order_by("-number"),
            )
        )
        .order_by("agency__name")
    )


def information_request_get(*, case: Case, pk: int) -> InformationRequest:
    try:
        return InformationRequest.objects.select_related("agency", "rapid_review").get(
            pk=pk, rapid_review__case=case
        )
    except InformationRequest.DoesNotExist as exc:
        raise Http404 from exc


def case_documents(*, case: Case) -> list[Document]:
    return list(
        case.documents.prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
                to_attr="prefetched_versions",
            )
        ).order_by("stage", "title")
    )


def document_get(*, case: Case, pk: int) -> Document:
    try:
        return case.documents.get(pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def document_version_for_download(*, user, pk: int) -> DocumentVersion:
    """A document version the person may download: the case team, or the review's own
    independent reviewer for practice review documents."""
    version = (
        DocumentVersion.objects.select_related("document__case", "document__case__practice_review")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise Http404
    case = version.document.case
    if case.partnership_id in _team_partnership_ids(user):
        return version
    review = getattr(case, "practice_review", None)
    if (
        review is not None
        and user.is_authenticated
        and version.document.stage == "practice_review"
        and review.independent_reviewer_id == getattr(user, "pk", None)
        and Role.INDEPENDENT_REVIEWER in user.roles_in(case.partnership_id)
    ):
        return version
    raise Http404


class DocumentUnreadable(Exception):
    """The stored file is missing, cannot be decrypted, or is not the document uploaded."""


def document_version_content(*, version: DocumentVersion) -> bytes:
    """The document as uploaded, for a version `document_version_for_download` returned.

    Checked against the checksum taken at upload, so a stored file swapped for another (say,
    another case's, by someone with access to the storage) is never served in its place.
    """
    try:
        with version.file.open("rb") as stored:
            content = stored.read()
        if version.encrypted:
            content = decrypt_bytes(content)
    except (OSError, ValueError) as exc:
        raise DocumentUnreadable(f"Document version {version.pk}: {exc}") from exc
    if hashlib.sha256(content).hexdigest() != version.sha256:
        raise DocumentUnreadable(f"Document version {version.pk}: checksum does not match")
    return content


def identifiers_get(*, user, case: Case) -> CaseIdentifiers | None:
    if case.partnership_id not in _team_partnership_ids(user):
        raise Http404
    return CaseIdentifiers.objects.filter(case=case).select_related("case").first()


def case_findings(*, case: Case):
    return case.findings.prefetch_related("themes").order_by("created_at", "id")


def case_recommendations(*, case: Case):
    return case.recommendations.prefetch_related("themes", "agencies").order_by("created_at", "id")


def case_slippages(*, case: Case):
    return case.slippages.select_related("recorded_by").order_by("-recorded_at")


# Dashboards -----------------------------------------------------------------------------


def needs_attention(*, user, limit: int = 200) -> QuerySet[Clock]:
    """Every open statutory clock across the person's cases, soonest first."""
    return (
        Clock.objects.filter(
            partnership_id__in=_team_partnership_ids(user), done_on__isnull=True, suspended=False
        )
        .select_related("case", "information_request__agency")
        .order_by("due_date", "id")[:limit]
    )


def suspended_clocks(*, user) -> QuerySet[Clock]:
    return (
        Clock.objects.filter(
            partnership_id__in=_team_partnership_ids(user), done_on__isnull=True, suspended=True
        )
        .select_related("case")
        .order_by("due_date")
    )


def reviews_for_reviewer(*, user) -> QuerySet[PracticeReview]:
    if not user.is_authenticated:
        return PracticeReview.objects.none()
    partnerships = [
        m.partnership_id for m in user.active_memberships if m.role == Role.INDEPENDENT_REVIEWER
    ]
    return PracticeReview.objects.filter(
        independent_reviewer=user, case__partnership_id__in=partnerships
    ).select_related("case")


def review_for_reviewer(*, user, pk: int) -> PracticeReview:
    try:
        return reviews_for_reviewer(user=user).get(pk=pk)
    except PracticeReview.DoesNotExist as exc:
        raise Http404 from exc


def practice_review_documents(*, review: PracticeReview) -> list[Document]:
    return list(
        review.case.documents.filter(stage="practice_review").prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.order_by("-number"),
                to_attr="prefetched_versions",
            )
        )
    )


def recommendations_for_agency_lead(*, user) -> QuerySet[Recommendation]:
    """Recommendations addressed to the lead's agency: the text, never the case."""
    if not user.is_authenticated:
        return Recommendation.objects.none()
    agencies = [
        m.agency_id for m in user.active_memberships if m.role == Role.AGENCY_LEAD and m.agency_id
    ]
    return (
        Recommendation.objects.filter(agencies__in=agencies)
        .prefetch_related("themes")
        .distinct()
        .order_by("-created_at", "-id")
    )


def independent_reviewer_choices(*, partnership_id: int):
    from learninghub.partnerships.selectors import members_with_role

    return members_with_role(partnership_id=partnership_id, role=Role.INDEPENDENT_REVIEWER)


# Timeliness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    rule: str
    on_time: int
    total: int
    excluded: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


def timeliness(*, user, start: date, end: date) -> list[Share]:
    """Share of each statutory step done on time, for clocks due in the period.

    Practice reviews on hold are left out of the publication share and counted apart.
    """
    clocks = Clock.objects.filter(
        partnership_id__in=_team_partnership_ids(user), due_date__gte=start, due_date__lte=end
    )
    rows = clocks.values("kind", "done_on", "due_date", "suspended")
    shares = []
    for kind, rule, label in [
        (ClockKind.NOTIFICATION, "notification", "Notifications within 5 working days"),
        (ClockKind.RAPID_REVIEW, "rapid_review", "Rapid reviews within 15 working days"),
        (ClockKind.PUBLICATION, "publication", "Practice reviews published within 6 months"),
    ]:
        relevant = [r for r in rows if r["kind"] == kind]
        held = [r for r in relevant if r["suspended"]]
        # A step not done and not yet due is neither on time nor late: it is left out.
        counted = [
            r for r in relevant if not r["suspended"] and (r["done_on"] or r["due_date"] < today())
        ]
        on_time = sum(1 for r in counted if r["done_on"] and r["done_on"] <= r["due_date"])
        shares.append(Share(label, rule, on_time, len(counted), excluded=len(held)))
    return shares


def today() -> date:
    return timezone.localdate()


def clock_status(clock: Clock, *, on: date | None = None) -> calendar.DeadlineStatus:
    return calendar.deadline_status(clock.due_date, done_on=clock.done_on, today=on or today())


# Stage pages ----------------------------------------------------------------------------


def agencies_to_ask(*, case: Case):
    """The partnership's active agencies not yet asked for their summary in this rapid review."""
    from learninghub.partnerships.selectors import agency_list

    asked = InformationRequest.objects.filter(rapid_review__case=case).values("agency_id")
    return agency_list(partnership=case.partnership).exclude(pk__in=asked)


def practice_review_offered(*, case: Case) -> bool:
    """A practice review follows a rapid review decision to hold one (local, or referred for a
    national review), or the Panel commissioning a national review."""
    from .models import Decision, PanelResponse

    rapid_review = getattr(case, "rapid_review", None)
    return rapid_review is not None and (
        rapid_review.decision in (Decision.LOCAL_REVIEW, Decision.NATIONAL_REFERRAL)
        or rapid_review.panel_response == PanelResponse.NATIONAL_REVIEW
    )


# Dashboard pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedsAttention:
    clocks: list[Clock]
    suspended: list[Clock]
    overdue: int
    due_soon: int
    total: int


def needs_attention_dashboard(*, user, on: date | None = None) -> NeedsAttention:
    """The "needs attention" page: open clocks soonest first, their counts, and clocks on hold.

    The counts come from the database, not from the (capped) list, so they stay right however
    many clocks are open.
    """
    from datetime import timedelta

    on = on or today()
    # "Due soon" is 3 working days or fewer (calendar.DUE_SOON_WORKING_DAYS): every date
    # before the 4th working day after today.
    soon_until = calendar.add_working_days(on, calendar.DUE_SOON_WORKING_DAYS + 1) - timedelta(1)
    counts = Clock.objects.filter(
        partnership_id__in=_team_partnership_ids(user), done_on__isnull=True, suspended=False
    ).aggregate(
        overdue=Count("id", filter=Q(due_date__lt=on)),
        due_soon=Count("id", filter=Q(due_date__gte=on, due_date__lte=soon_until)),
        total=Count("id"),
    )
    return NeedsAttention(
        clocks=list(needs_attention(user=user)),
        suspended=list(suspended_clocks(user=user)[:200]),
        **counts,
    )


def reviewer_review_list(*, user) -> QuerySet[PracticeReview]:
    """The reviews an independent reviewer is named on, with each one's publication clock."""
    return (
        reviews_for_reviewer(user=user)
        .prefetch_related(
            Prefetch(
                "case__clocks",
                queryset=Clock.objects.filter(kind=ClockKind.PUBLICATION),
                to_attr="publication_clocks",
            )
        )
        .order_by("-decision_date", "-id")
    )


def reviewer_review_clocks(*, review: PracticeReview) -> list[Clock]:
    """The practice review's own clocks: never the notification's or the rapid review's."""
    return list(
        Clock.objects.filter(
            case_id=review.case_id, kind__in=[ClockKind.PUBLICATION, ClockKind.SEND_TO_PANEL]
        ).order_by("due_date", "id")
    )


# Reminders ------------------------------------------------------------------------------


def clocks_for_reminders(*, on: date) -> list[Clock]:
    """Open clocks, not on hold, due from today up to a fortnight ahead (3 working days
    can stretch over a bank holiday weekend or Christmas), with the reminders already sent."""
    from datetime import timedelta

    return list(
        Clock.objects.filter(
            done_on__isnull=True,
            suspended=False,
            due_date__gte=on,
            due_date__lte=on + timedelta(days=14),
        )
        .select_related("case", "information_request__agency")
        .prefetch_related("reminders")
        .order_by("partnership_id", "due_date", "id")
    )


def task_queued(*, task_path: str) -> bool:
    """Whether a run of this background task is already waiting in the queue."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY).exists()


# Case pages -----------------------------------------------------------------------------


def case_list_with_next_deadline(*, user, search: str = "", stage: str = "") -> QuerySet[Case]:
    """The case list, each case carrying its open clocks soonest first in `open_clock_list`.

    One prefetch query for the whole page, so the list costs the same for 3 or 3,000 cases.
    Clocks on hold come after running ones: the next deadline is the soonest that can slip.
    """
    return case_list(user=user, search=search, stage=stage).prefetch_related(
        Prefetch(
            "clocks",
            queryset=Clock.objects.filter(done_on__isnull=True).order_by(
                "suspended", "due_date", "id"
            ),
            to_attr="open_clock_list",
        )
    )


def _one_to_one(obj, name: str):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class StageState:
    """Where one stage of the statutory process stands, for the case's task list."""

    key: str
    name: str
    status: str
    # A GOV.UK tag colour for stages still to do; None shows the status as plain text (done).
    tag: str | None
    url_name: str | None


def case_stages(*, case: Case) -> list[StageState]:
    """Notification, rapid review and practice review: each stage's state, in order.

    Reads only what `case_get` already fetched (no queries).
    """
    from .models import Decision, PanelResponse

    fmt = calendar.format_date
    notification = _one_to_one(case, "notification")
    rapid_review = _one_to_one(case, "rapid_review")
    review = _one_to_one(case, "practice_review")

    url = "reviews:notification"
    if notification is None:
        notified = StageState("notification", "Notification", "Not started", "govuk-tag--blue", url)
    elif notification.sent_to_panel_on:
        status = f"Sent to the Panel on {fmt(notification.sent_to_panel_on)}"
        notified = StageState("notification", "Notification", status, None, url)
    else:
        status, tag = "Recorded, not yet sent", "govuk-tag--light-blue"
        notified = StageState("notification", "Notification", status, tag, url)

    url = "reviews:rapid_review"
    if rapid_review is None:
        rapid = StageState("rapid_review", "Rapid review", "Cannot start yet", None, None)
    elif rapid_review.panel_response_on:
        status = (
            f"{rapid_review.get_decision_display()}. The Panel "
            f"{rapid_review.get_panel_response_display()[0].lower()}"
            f"{rapid_review.get_panel_response_display()[1:]} "
            f"on {fmt(rapid_review.panel_response_on)}"
        )
        rapid = StageState("rapid_review", "Rapid review", status, None, url)
    elif rapid_review.sent_to_panel_on:
        status = f"Sent to the Panel on {fmt(rapid_review.sent_to_panel_on)}"
        rapid = StageState("rapid_review", "Rapid review", status, None, url)
    else:
        status, tag = "In progress", "govuk-tag--light-blue"
        rapid = StageState("rapid_review", "Rapid review", status, tag, url)

    url, tag = "reviews:practice_review", None
    if review is None:
        name = "Practice review"
        if (
            rapid_review is not None
            and rapid_review.panel_response == PanelResponse.NATIONAL_REVIEW
        ):
            # The Panel runs a national review itself; the partnership may still follow it here.
            name = "National review"
            status, tag = "Commissioned by the Panel", "govuk-tag--blue"
            url = "reviews:practice_review_start"
        elif rapid_review is not None and (
            rapid_review.decision in (Decision.LOCAL_REVIEW, Decision.NATIONAL_REFERRAL)
            or rapid_review.panel_response == PanelResponse.NATIONAL_REVIEW
        ):
            status, tag, url = "Not started", "govuk-tag--blue", "reviews:practice_review_start"
        elif rapid_review is not None and rapid_review.decision == Decision.NO_FURTHER_REVIEW:
            status, url = "Not needed: the decision was no further review", None
        else:
            status, url = "Cannot start yet", None
    else:
        name = review.get_kind_display()
        if review.published_on:
            status = f"Published on {fmt(review.published_on)}"
        elif review.not_publishing:
            status, tag = "Not publishing", "govuk-tag--grey"
        elif review.on_hold:
            status, tag = "On hold", "govuk-tag--yellow"
        else:
            status, tag = "In progress", "govuk-tag--light-blue"
    return [notified, rapid, StageState("practice_review", name, status, tag, url)]


def case_history(*, case: Case, limit: int = 50) -> list:
    """What has been recorded about a case and everything under it, newest first.

    Every event about the case, its notification, rapid review, documents and the rest
    carries the case's audit scope. Reads are left out: the audit log has them, and here
    they would bury the changes.
    """
    return audit_history_for_scope(case.audit_scope, limit=limit)


@dataclass(frozen=True)
class CaseOverview:
    clocks: list
    stages: list
    findings: list
    recommendations: list
    documents: list
    slippages: list
    history: list


def case_overview(*, case: Case) -> CaseOverview:
    """Everything the case's overview page shows, in a fixed number of queries."""
    return CaseOverview(
        clocks=case_clocks(case=case),
        stages=case_stages(case=case),
        findings=list(case_findings(case=case)),
        recommendations=list(case_recommendations(case=case)),
        documents=case_documents(case=case),
        slippages=list(case_slippages(case=case)),
        history=case_history(case=case),
    )


# API ------------------------------------------------------------------------------------


def business_unit_partnerships(*, user) -> list:
    """The partnerships whose business unit this person is in: where they may open a case."""
    if not user.is_authenticated:
        return []
    found = {m.partnership_id: m.partnership for m in user.active_memberships}
    return [found[pk] for pk in _business_unit_partnership_ids(user)]


def active_agencies_by_ids(*, partnership, ids) -> list:
    """The partnership's agencies taking part now among `ids` (what the pages offer)."""
    from learninghub.partnerships.selectors import agency_list

    return list(agency_list(partnership=partnership).filter(pk__in=set(ids)))


def active_themes_by_keys(*, ids, slugs) -> list:
    """Themes in use now, named by id or by slug."""
    from learninghub.core.taxonomy.selectors import theme_list

    return list(theme_list().filter(Q(pk__in=set(ids)) | Q(slug__in=set(slugs))))


def independent_reviewer_get(*, partnership_id: int, pk: int):
    """One of the partnership's independent reviewers, or None."""
    return independent_reviewer_choices(partnership_id=partnership_id).filter(pk=pk).first()


def case_stage(case: Case) -> str:
    """Where the case stands, in the terms `case_list` filters by: notification, rapid_review,
    practice_review or published. Reads only what `case_list` or `case_get` fetched."""
    review = _one_to_one(case, "practice_review")
    if review is not None:
        return "published" if review.published_on else "practice_review"
    return "rapid_review" if _one_to_one(case, "rapid_review") is not None else "notification"


def case_information_request_list(*, case: Case) -> list[InformationRequest]:
    """The rapid review's requests to agencies, by agency name, without their documents."""
    return list(
        InformationRequest.objects.filter(rapid_review__case=case)
        .select_related("agency")
        .order_by("agency__name")
    )


def case_team_partnership_ids(*, user) -> list[int]:
    """The partnerships whose cases this person sees as business unit or case review group."""
    return _team_partnership_ids(user)
