"""The people list's search (django-filter), shared by the page and `membership_list`."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from .models import Membership

SEARCH_MAX_LENGTH = 100


class MembershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by name or email address", method="search_people")

    class Meta:
        model = Membership
        fields: list[str] = []

    @classmethod
    def from_query(cls, query, *, queryset: QuerySet[Membership]) -> MembershipFilter:
        # Anything longer is cut, not refused: a search box is not worth an error message.
        return cls({"q": query.get("q", "").strip()[:SEARCH_MAX_LENGTH]}, queryset=queryset)

    @property
    def search(self) -> str:
        return self.form.cleaned_data.get("q", "") if self.is_valid() else ""

    def search_people(self, people: QuerySet[Membership], name: str, text: str):
        return people.filter(Q(user__email__icontains=text) | Q(user__full_name__icontains=text))
