"""Cases: the list, one case (404 when it is not the person's), and what its pages show
(the overview page's tables are in overview.py)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import require

from ..filters import CaseFilter
from ..models import Case, CaseIdentifiers, Clock
from .scope import _team_partnership_ids


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(partnership_id__in=_team_partnership_ids(user))


def case_list(
    *, user, search: str = "", stage: str = "", count_open_clocks: bool = True
) -> QuerySet[Case]:
    # A case recorded in error leaves the list (its own page still answers, with a banner).
    cases = (
        cases_visible_to(user)
        .filter(recorded_in_error_on__isnull=True)
        .select_related("partnership", "notification", "rapid_review", "practice_review")
    )
    if count_open_clocks:
        cases = cases.annotate(
            open_clocks=Count(
                "clocks", filter=Q(clocks__done_on__isnull=True, clocks__suspended=False)
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
            # The practice review's milestones: the plan and the publish guard read them.
            .prefetch_related("agencies", "themes", "children", "practice_review__milestones")
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


# The columns the case's overview page reads (with `stages.step_states` and the case header):
# the page's own loader loads only these, as model instances still, so that the stage helpers
# read them as they read `case_get`'s case. Reading any other column of these rows would cost
# a query, which the page's query-count pin would show.
_OVERVIEW_COLUMNS = (
    "partnership_id",
    "reference",
    "pseudonym",
    "cdop_reference",
    "opened_at",
    "recorded_in_error_on",
    "recorded_in_error_reason",
    "partnership__name",
    "notification__case_id",
    "notification__sent_to_panel_on",
    "rapid_review__case_id",
    "rapid_review__decision",
    "rapid_review__sent_to_panel_on",
    "rapid_review__panel_response",
    "rapid_review__panel_response_on",
    "practice_review__case_id",
    "practice_review__kind",
    "practice_review__published_on",
    "practice_review__not_publishing",
    "practice_review__on_hold",
)


def case_overview_for(user, pk: int) -> Case:
    """`case_for` for the case's overview page alone: the same permission and 404, the case
    with only the columns that page shows and its children (the reviewer and the milestones,
    which the page does not show, are not fetched; the agencies' and themes' names come with
    the overview, `overview_names`). At bench scale compiling and converting `case_get`'s
    columns was a third of the page's CPU.
    """
    try:
        case = (
            cases_visible_to(user)
            .select_related("partnership", "notification", "rapid_review", "practice_review")
            .only(*_OVERVIEW_COLUMNS)
            .prefetch_related("children")
            .get(pk=pk)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    require(user, "reviews.view_case", case)
    return case


def identifiers_get(*, user, case: Case) -> CaseIdentifiers | None:
    if case.partnership_id not in _team_partnership_ids(user):
        raise Http404
    return (
        CaseIdentifiers.objects.filter(child__case=case)
        .select_related("child__case")
        .order_by("child__position")
        .first()
    )


def case_findings(*, case: Case):
    return case.findings.prefetch_related("themes").order_by("created_at", "id")


def case_recommendations(*, case: Case):
    return case.recommendations.prefetch_related("themes", "agencies").order_by("created_at", "id")


def case_slippages(*, case: Case):
    return case.slippages.select_related("recorded_by").order_by("-recorded_at")


def case_list_with_next_deadline(
    *, user, search: str = "", stage: str = "", count_open_clocks: bool = True
) -> QuerySet[Case]:
    """The case list, each case carrying its open clocks soonest first in `open_clock_list`.

    One prefetch query for the whole page, so the list costs the same for 3 or 3,000 cases.
    Clocks on hold come after running ones: the next deadline is the soonest that can slip.
    `count_open_clocks=False` leaves out the API's `open_clocks` count, which the page does
    not show: its GROUP BY over five joined tables was most of the page's query time.
    """
    cases = case_list(user=user, search=search, stage=stage, count_open_clocks=count_open_clocks)
    return cases.prefetch_related(
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
    # Rows, not model instances: the timeline (audit/display.py) reads only these, and 50
    # AuditEvent instances were a measurable share of the case page (`make bench`).
    return list(
        AuditEvent.objects.filter(scope=case.audit_scope)
        .exclude(kind=AuditEvent.Kind.READ)
        .order_by("-id")
        .values("kind", "summary", "actor_label", "occurred_at", "changes", "object_type")[:limit]
    )


def active_agencies_by_ids(*, partnership, ids) -> list:
    """The partnership's agencies taking part now among `ids` (what the pages offer)."""
    from learninghub.partnerships.selectors import agency_list

    return list(agency_list(partnership=partnership).filter(pk__in=set(ids)))


def active_themes_by_keys(*, ids, slugs) -> list:
    """Themes in use now, named by id or by slug."""
    from learninghub.core.taxonomy.selectors import theme_list

    return list(theme_list().filter(Q(pk__in=set(ids)) | Q(slug__in=set(slugs))))
