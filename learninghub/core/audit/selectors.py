"""Reads of the audit log: an object's history and the business unit's search."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet

from .filters import AuditEventFilter
from .models import AuditEvent


def audit_history_for(obj) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def audit_history_for_scope(scope: str, *, limit: int = 50) -> list[AuditEvent]:
    """The changes recorded for a record and everything under it, newest first (no reads).

    Without the actor's row: a history names who acted from `actor_label`, kept on the event,
    and loading 50 users a page for nothing was a measurable share of the case page.
    """
    return list(
        AuditEvent.objects.filter(scope=scope)
        .exclude(kind=AuditEvent.Kind.READ)
        .order_by("-id")[:limit]
    )


def audit_search(
    *,
    partnership_ids: list[int] | None,
    viewer=None,
    text: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Search the log; `partnership_ids=None` means every partnership (system administrators).

    The text searched includes case material only where `viewer` may read it (nowhere, with
    no viewer): otherwise a search for a child's pseudonym would reveal, by what it finds,
    text the page hides.
    Show the results through `display.hide_case_text`.
    """
    events = AuditEvent.objects.all()
    if partnership_ids is not None:
        events = events.filter(partnership_id__in=partnership_ids)
    if text or kind or date_from or date_to:
        data = {"q": text, "kind": kind, "date_from": date_from, "date_to": date_to}
        events = AuditEventFilter(data, queryset=events, viewer=viewer).qs
    return events.order_by("-id")


def events_for_since(obj, *, action: str, since: datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        occurred_at__gte=since,
    )
