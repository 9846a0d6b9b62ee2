"""The audit log's search (django-filter): text, type of event and a range of dates.

The page and `selectors.audit_search` filter through this one FilterSet. Its form renders
with the GOV.UK macros; a date that is not a date, or a range that ends before it starts, is
an error in the GOV.UK error summary, never a 500.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from .display import hidden_case_material
from .models import AuditEvent

SEARCH_MAX_LENGTH = 100


class AuditSearchForm(forms.Form):
    """The base of the FilterSet's form: the dates must be in order."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data


class AuditEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search the log", max_length=SEARCH_MAX_LENGTH, method="search"
    )
    kind = django_filters.ChoiceFilter(
        label="Type of event", choices=AuditEvent.Kind.choices, empty_label="All events"
    )
    date_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label="From (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD, like 2026-04-01"},
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label="To (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD, like 2026-04-30"},
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditSearchForm

    def __init__(self, data=None, queryset=None, *, viewer=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.viewer = viewer

    def search(self, events: QuerySet[AuditEvent], name: str, text: str) -> QuerySet[AuditEvent]:
        in_text = Q(summary__icontains=text) | Q(object_repr__icontains=text)
        # Case material is searched only where the viewer may read it: otherwise a search for
        # a child's pseudonym would reveal, by what it finds, text the page hides.
        hidden = hidden_case_material(self.viewer)
        if hidden is not None:
            in_text &= ~hidden
        return events.filter(in_text | Q(actor_label__icontains=text) | Q(action__icontains=text))
