"""Every read of case review material, scoped to what the person may see.

A case the person may not see is never returned; its URL answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.selectors import audit_history_for_scope
from learninghub.core.files.models import FileVersion
from learninghub.core.permissions import Role, partnerships_where, require

from .filters import CaseFilter
from .models import (
    Case,
    CaseIdentifiers,
    Clock,
    ClockKind,
    Document,
    InformationRequest,
    PracticeReview,
    Recommendation,
)


def _team_partnership_ids(user) -> list[int]:
    return partnerships_where(user, Role.BUSINESS_UNIT, Role.CASE_REVIEW_GROUP)


def _business_unit_partnership_ids(user) -> list[int]:
    return partnerships_where(user, Role.BUSINESS_UNIT)


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
    if search or stage:
        # The page's filters, so that the API's `q` and `stage` match exactly what they do.
        cases = CaseFilter({"q": search, "stage": stage}, queryset=cases).qs
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


def case_for(user, pk: int, perm: str = "reviews.view_case") -> Case:
    """The case, if this person may see it and `perm` allows them this; otherwise 404.

    The one loader the case pages, the stage pages and the API share, so that each answers a
    case the same way: by the `rules` permission alone (no superuser pass), and 404 whether
    the case is missing or not theirs, so its existence never leaks.
    """
    case = case_get(user=user, pk=pk)
    require(user, perm, case)
    return case


def case_clocks(*, case: Case) -> list[Clock]:
    return list(
        case.clocks.select_related("information_request__agency").order_by("due_date", "id")
    )


def case_information_requests(*, case: Case) -> list[InformationRequest]:
    requests = list(
        InformationRequest.objects.filter(rapid_review__case=case)
        .select_related("agency")
        .prefetch_related("documents")
        .order_by("agency__name")
    )
    with_versions([document for asked in requests for document in asked.documents.all()])
    return requests


def information_request_get(*, case: Case, pk: int) -> InformationRequest:
    try:
        return InformationRequest.objects.select_related("agency", "rapid_review").get(
            pk=pk, rapid_review__case=case
        )
    except InformationRequest.DoesNotExist as exc:
        raise Http404 from exc


def with_versions(documents, *, uploaded_by: bool = False) -> list[Document]:
    """Documents with every version of their stored file, newest first (`Document.versions`),
    in one query for all of them rather than one for the files and one for their versions."""
    documents = list(documents)
    versions = FileVersion.objects.filter(stored_file__document__in=documents).select_related(
        "stored_file", *(["uploaded_by"] if uploaded_by else [])
    )
    by_document: dict[int, list[FileVersion]] = {d.pk: [] for d in documents}
    for version in versions.order_by("-number"):
        by_document[version.stored_file.owner_id].append(version)
    for document in documents:
        document.prefetched_versions = by_document[document.pk]
    return documents


def case_documents(*, case: Case) -> list[Document]:
    return with_versions(case.documents.order_by("stage", "title"), uploaded_by=True)


def document_get(*, case: Case, pk: int) -> Document:
    try:
        return case.documents.get(pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


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
    return PracticeReview.objects.filter(
        independent_reviewer=user,
        case__partnership_id__in=partnerships_where(user, Role.INDEPENDENT_REVIEWER),
    ).select_related("case")


def review_for_reviewer(*, user, pk: int) -> PracticeReview:
    try:
        return reviews_for_reviewer(user=user).get(pk=pk)
    except PracticeReview.DoesNotExist as exc:
        raise Http404 from exc


def practice_review_documents(*, review: PracticeReview) -> list[Document]:
    return with_versions(review.case.documents.filter(stage="practice_review"))


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
    findings: list
    recommendations: list
    documents: list
    slippages: list
    history: list


def case_overview(*, case: Case) -> CaseOverview:
    """Everything the case's overview page shows, in a fixed number of queries."""
    return CaseOverview(
        clocks=case_clocks(case=case),
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
