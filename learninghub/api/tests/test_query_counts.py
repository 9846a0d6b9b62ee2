"""Pages and endpoints keep a constant number of queries, whatever the volume (design.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learninghub.partnerships.tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    RegionalNetworkFactory,
)

from .factories import make_token

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_partnerships(n):
    for _ in range(n):
        PartnershipFactory(network=RegionalNetworkFactory())


def test_partnership_list_queries_stay_constant(world, client, django_assert_max_num_queries):
    few = count_queries(client, "/api/partnerships")
    _more_partnerships(30)
    # A page and its count, with every network joined in: two queries, however many there are.
    with django_assert_max_num_queries(2):
        response = client.get("/api/partnerships?limit=100")
    assert len(response.json()["items"]) == 32
    assert count_queries(client, "/api/partnerships?limit=100") == few


def test_agency_list_queries_stay_constant(world, client, django_assert_max_num_queries):
    url = f"/api/partnerships/{world.partnership.pk}/agencies"
    few = count_queries(client, url)
    for _ in range(30):
        AgencyFactory(partnership=world.partnership)
    # The partnership, a page of agencies, and their count.
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.json()["count"] == 31
    assert count_queries(client, url) == few


def test_agency_create_queries(world, client, django_assert_max_num_queries):
    _, key = make_token(world.user("business_unit"))
    # Token, memberships, token use, partnership; the service: name clash, insert, audit chain
    # head, audit insert; plus the savepoints around them.
    with django_assert_max_num_queries(12):
        response = client.post(
            f"/api/partnerships/{world.partnership.pk}/agencies",
            {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    assert response.status_code == 201


def test_token_list_page_queries_stay_constant(world, client_for, django_assert_max_num_queries):
    user = world.user("business_unit")
    browser = client_for("business_unit")
    url = reverse("api_tokens:token_list")
    make_token(user, "First")
    few = count_queries(browser, url)
    for n in range(15):
        make_token(user, f"Script {n}")
    # Session, person, authenticator, memberships, tokens, and the session's save.
    with django_assert_max_num_queries(8):
        response = browser.get(url)
    assert response.content.decode().count("Revoke<span") == 16
    assert count_queries(browser, url) == few
