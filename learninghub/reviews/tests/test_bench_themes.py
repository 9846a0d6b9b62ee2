"""The bench's case builder on a flushed database (PostgreSQL's rebuild): themes come back."""

from __future__ import annotations

import pytest
from django.utils.text import slugify

from bench.data_reviews import ensure_starting_themes
from learninghub.core.taxonomy.models import STARTING_THEMES, Theme


@pytest.mark.django_db
def test_the_builder_restores_the_starting_themes_that_a_flush_removed():
    # `flush` empties the table the data migration filled; the builder samples from it and
    # failed with "Sample larger than population" when it was empty.
    Theme.objects.all().delete()
    ensure_starting_themes()
    assert sorted(Theme.objects.values_list("name", flat=True)) == sorted(STARTING_THEMES)
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        slugify(name) for name in STARTING_THEMES
    }


@pytest.mark.django_db
def test_the_builder_leaves_existing_themes_alone():
    ensure_starting_themes()
    assert Theme.objects.count() == len(STARTING_THEMES)
