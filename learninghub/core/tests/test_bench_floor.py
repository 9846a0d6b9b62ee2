"""The benchmark's layout floor: the full signed-in layout, routed only for the bench."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.urls import clear_url_caches

import learninghub.core.urls

PATH = "/bench/layout-floor"


def _reload_urls() -> None:
    importlib.reload(learninghub.core.urls)
    # The root URLconf by name: it includes every app, which the core may not import.
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def floor_routed(settings):
    settings.BENCH_FLOOR_PAGE = True
    _reload_urls()
    yield
    settings.BENCH_FLOOR_PAGE = False
    _reload_urls()


@pytest.mark.django_db
def test_the_floor_is_not_a_page_without_the_bench_setting(client_for):
    # Production and every other deployment: no such page, even for someone signed in.
    assert client_for("business_unit").get(PATH).status_code == 404


@pytest.mark.django_db
def test_the_floor_shows_the_signed_in_layout_and_does_no_page_database_work(
    floor_routed, client_for, world, django_assert_max_num_queries
):
    client = client_for("business_unit")
    # The session, the user, their two-factor device and memberships (the middleware's own
    # work on every signed-in page), and saving the session's last-seen time: nothing else.
    with django_assert_max_num_queries(7):
        response = client.get(PATH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Layout floor" in html
    assert "Sign out" in html  # the signed-in header
    assert 'class="govuk-service-navigation' in html
    assert "Accessibility statement" in html  # the footer


@pytest.mark.django_db
def test_the_floor_asks_visitors_to_sign_in(floor_routed, client_for):
    response = client_for("anonymous").get(PATH)
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]
