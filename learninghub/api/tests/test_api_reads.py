"""Public reads: partnerships and their active agencies need no token."""

import pytest

from learninghub.partnerships.models import AgencyType, Region
from learninghub.partnerships.tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    RegionalNetworkFactory,
)

pytestmark = pytest.mark.django_db


def test_partnership_list(world, client):
    response = client.get("/api/partnerships")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    # By name: Eastmoor before Northdale.
    eastmoor, northdale = body["items"]
    assert northdale == {
        "id": world.partnership.pk,
        "name": "Northdale Safeguarding Children Partnership",
        "short_name": "NDSCP",
        "region": "yorkshire_humber",
        "region_label": "Yorkshire and the Humber",
        "network_name": world.partnership.network.name,
    }
    assert eastmoor["short_name"] == "EMSCP"


def test_partnership_without_a_network(db, client):
    PartnershipFactory(network=None, region=Region.LONDON)
    item = client.get("/api/partnerships").json()["items"][0]
    assert item["network_name"] is None
    assert item["region_label"] == "London"


def test_partnership_list_pages_with_limit_and_offset(db, client):
    network = RegionalNetworkFactory()
    for n in range(5):
        PartnershipFactory(name=f"Partnership {n}", short_name=f"P{n}", network=network)
    body = client.get("/api/partnerships?limit=2&offset=2").json()
    assert body["count"] == 5
    assert [p["short_name"] for p in body["items"]] == ["P2", "P3"]
    assert client.get("/api/partnerships?offset=10").json() == {"items": [], "count": 5}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("limit=abc", "limit"),
        (f"offset={10**30}", "offset"),
    ],
)
def test_partnership_list_refuses_bad_paging(db, client, query, field):
    response = client.get(f"/api/partnerships?{query}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_partnership_detail(world, client):
    response = client.get(f"/api/partnerships/{world.other_partnership.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Eastmoor Safeguarding Children Partnership"


@pytest.mark.parametrize("pk", ["999999", str(2**63 - 1), str(10**30)])
def test_partnership_detail_missing(db, client, pk):
    response = client.get(f"/api/partnerships/{pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_partnership_detail_needs_a_number(db, client):
    response = client.get("/api/partnerships/northdale")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "partnership_id"


def test_agency_list_shows_active_agencies_by_name(world, client):
    AgencyFactory(partnership=world.partnership, name="Archived Trust", is_active=False)
    AgencyFactory(
        partnership=world.partnership, name="Ashby School", agency_type=AgencyType.EDUCATION
    )
    response = client.get(f"/api/partnerships/{world.partnership.pk}/agencies")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": body["items"][0]["id"],
            "name": "Ashby School",
            "agency_type": "education",
            "agency_type_label": "Education",
            "is_active": True,
        },
        {
            "id": world.agency.pk,
            "name": "Northdale Police",
            "agency_type": "police",
            "agency_type_label": "Police",
            "is_active": True,
        },
    ]


def test_agency_list_of_a_missing_partnership(db, client):
    response = client.get("/api/partnerships/999999/agencies")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_reads_ignore_a_bad_token(world, client):
    response = client.get("/api/partnerships", HTTP_AUTHORIZATION="Bearer slh_nonsense")
    assert response.status_code == 200
