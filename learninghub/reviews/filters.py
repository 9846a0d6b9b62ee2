"""The case list's filters (django-filter): the page's search form and the API's query.

One FilterSet, so the page and the API can never disagree about what "stage" or a search
matches. Its form renders with the GOV.UK macros like any other (`forms.field(form.q)`).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from .models import Case
from .stages import CaseStage, stage_filter

SEARCH_MAX_LENGTH = 100


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by reference or pseudonym", max_length=SEARCH_MAX_LENGTH, method="search"
    )
    stage = django_filters.ChoiceFilter(
        label="Stage", choices=CaseStage.choices, empty_label="All stages", method="at_stage"
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def search(self, cases: QuerySet[Case], name: str, text: str) -> QuerySet[Case]:
        return cases.filter(Q(reference__icontains=text) | Q(pseudonym__icontains=text))

    def at_stage(self, cases: QuerySet[Case], name: str, stage: str) -> QuerySet[Case]:
        return cases.filter(stage_filter(stage))

    @property
    def chosen(self) -> dict[str, str]:
        """The filters in use, for the page's "Cases found" and its pagination links."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    @property
    def cases(self) -> QuerySet[Case]:
        """The filtered cases; all of them while the form has an error it is showing."""
        return self.qs if self.is_valid() else self.queryset
