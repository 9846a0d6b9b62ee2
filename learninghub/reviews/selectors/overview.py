"""The case overview page: its findings, recommendations, clocks, documents, slippage and
history, each in one query of plain rows (no model instances)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Value

from ..models import Case, Clock, Document, Finding, Recommendation, Slippage
from .cases import case_history


@dataclass(frozen=True)
class ListedItem:
    """A finding or recommendation as the overview lists it: its text and the names of its
    themes and (recommendations) agencies, each in name order."""

    text: str
    themes: list[str]
    agencies: list[str]
    to_partnership: bool = False


def _listed(rows, *, agencies: bool) -> list[ListedItem]:
    """Rows of (id, text, to_partnership, theme id, theme name[, agency id, agency name]),
    one per theme (times agency), in item then name order, as one item each."""
    items: dict[int, tuple] = {}
    for row in rows:
        pk, text, to_partnership, theme_id, theme = row[:5]
        item = items.get(pk)
        if item is None:
            item = items[pk] = (text, to_partnership, {}, {})
        if theme_id is not None:
            item[2].setdefault(theme_id, theme)
        if agencies and row[5] is not None:
            item[3].setdefault(row[5], row[6])
    return [
        ListedItem(text, list(themes.values()), list(names.values()), to_partnership)
        for text, to_partnership, themes, names in items.values()
    ]


def overview_findings(*, case: Case) -> list[ListedItem]:
    """The case's findings with their themes' names: one query, no model instances."""
    rows = (
        Finding.objects.filter(case=case)
        .order_by("created_at", "id", "themes__name", "themes__id")
        .values_list("id", "text", Value(False), "themes__id", "themes__name")
    )
    return _listed(rows, agencies=False)


def overview_recommendations(*, case: Case) -> list[ListedItem]:
    """The case's recommendations with their themes' and agencies' names: one query."""
    rows = (
        Recommendation.objects.filter(case=case)
        .order_by(
            "created_at", "id", "themes__name", "themes__id", "agencies__name", "agencies__id"
        )
        .values_list(
            "id",
            "text",
            "to_partnership",
            "themes__id",
            "themes__name",
            "agencies__id",
            "agencies__name",
        )
    )
    return _listed(rows, agencies=True)


@dataclass(frozen=True)
class ListedClock:
    """A statutory clock as the overview's Deadlines table shows it."""

    kind: str  # as the page says it
    due_date: date
    description: str
    done_on: date | None
    suspended: bool
    suspended_reason: str


def overview_clocks(*, case: Case) -> list[ListedClock]:
    """The case's clocks, soonest first: one query, no model instances."""
    kinds = dict(Clock._meta.get_field("kind").flatchoices)
    rows = (
        Clock.objects.filter(case=case)
        .order_by("due_date", "id")
        .values_list("kind", "due_date", "description", "done_on", "suspended", "suspended_reason")
    )
    return [ListedClock(str(kinds.get(row[0], row[0])), *row[1:]) for row in rows]


@dataclass(frozen=True)
class ListedVersion:
    """A document's latest version as the overview lists it."""

    pk: int
    number: int
    original_name: str
    size: int
    uploaded_by: str  # the uploader's full name, or their email address without one
    uploaded_at: object


@dataclass(frozen=True)
class ListedDocument:
    pk: int
    title: str
    stage: str
    stage_label: str  # as the page says it
    shared_with_reviewer: bool
    latest: ListedVersion | None

    def get_stage_display(self) -> str:
        return self.stage_label


def overview_documents(*, case: Case) -> list[ListedDocument]:
    """The case's documents, each with its latest version: one query (the versions joined,
    newest first), no model instances, nor the versions' stored files or uploaders' rows."""
    rows = (
        Document.objects.filter(case=case)
        .order_by("stage", "title", "-files__versions__number")
        .values_list(
            "id",
            "title",
            "stage",
            "shared_with_reviewer",
            "files__versions__id",
            "files__versions__number",
            "files__versions__original_name",
            "files__versions__size",
            "files__versions__uploaded_by__full_name",
            "files__versions__uploaded_by__email",
            "files__versions__uploaded_at",
        )
    )
    stages = dict(Document._meta.get_field("stage").flatchoices)
    documents: dict[int, ListedDocument] = {}
    for row in rows:
        if row[0] in documents:
            continue  # an older version
        pk, title, stage, shared, *version = row
        version_pk, number, name, size, full_name, email, uploaded_at = version
        latest = None
        if version_pk is not None:
            latest = ListedVersion(version_pk, number, name, size, full_name or email, uploaded_at)
        documents[pk] = ListedDocument(
            pk, title, stage, str(stages.get(stage, stage)), shared, latest
        )
    return list(documents.values())


@dataclass(frozen=True)
class ListedSlippage:
    clock_kind: str  # as the page says it
    reason: str
    recorded_by: str  # their full name, or their email address without one
    recorded_at: object


def overview_slippages(*, case: Case) -> list[ListedSlippage]:
    """The case's slippage, latest first: one query, no model instances."""
    kinds = dict(Slippage._meta.get_field("clock_kind").flatchoices)
    rows = (
        Slippage.objects.filter(case=case)
        .order_by("-recorded_at")
        .values_list(
            "clock_kind", "reason", "recorded_by__full_name", "recorded_by__email", "recorded_at"
        )
    )
    return [
        ListedSlippage(str(kinds.get(kind, kind)), reason, full_name or email, recorded_at)
        for kind, reason, full_name, email, recorded_at in rows
    ]


def overview_names(*, case: Case) -> tuple[list[str], list[str]]:
    """The names of the case's agencies and of its themes, each in name order: one query (the
    two lists as one UNION ALL of plain rows), where prefetching both was two, with a model
    instance for each name."""
    agencies = (
        Case.agencies.through.objects.filter(case_id=case.pk)
        .annotate(which=Value(0), name=F("agency__name"))
        .values_list("which", "name")
    )
    themes = (
        Case.themes.through.objects.filter(case_id=case.pk)
        .annotate(which=Value(1), name=F("theme__name"))
        .values_list("which", "name")
    )
    found: tuple[list[str], list[str]] = ([], [])
    for which, name in agencies.union(themes, all=True).order_by("which", "name"):
        found[which].append(name)
    return found


@dataclass(frozen=True)
class CaseOverview:
    agencies: list[str]  # names
    themes: list[str]
    clocks: list
    findings: list
    recommendations: list
    documents: list
    slippages: list
    history: list


def case_overview(*, case: Case) -> CaseOverview:
    """Everything the case's overview page shows, in a fixed number of queries."""
    agencies, themes = overview_names(case=case)
    return CaseOverview(
        agencies=agencies,
        themes=themes,
        clocks=overview_clocks(case=case),
        findings=overview_findings(case=case),
        recommendations=overview_recommendations(case=case),
        documents=overview_documents(case=case),
        slippages=overview_slippages(case=case),
        history=case_history(case=case),
    )
