"""The API's document, its docs page, and input that must never cause a 500."""

import re

import pytest
from django.contrib.staticfiles import finders

from .factories import bearer

pytestmark = pytest.mark.django_db


def test_openapi_document(db, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Safeguarding Learning Hub API"
    assert spec["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    agencies = spec["paths"]["/api/partnerships/{partnership_id}/agencies"]
    # Reads are public; writes need the bearer token.
    assert "security" not in agencies["get"]
    assert agencies["post"]["security"] == [{"TokenAuth": []}]
    assert agencies["post"]["operationId"] == "agency_create"
    assert set(agencies["post"]["responses"]) == {"201", "401", "403", "404", "422"}
    patch = spec["paths"]["/api/partnerships/{partnership_id}/agencies/{agency_id}"]["patch"]
    assert patch["security"] == [{"TokenAuth": []}]


def test_docs_page_works_offline_under_our_csp(db, client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    # No inline script for the policy to block: the settings travel as JSON data.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    for path in scripts:
        assert finders.find(path.removeprefix("/static/")), path
    assert "'self'" in response["Content-Security-Policy"]


def test_the_footer_links_to_the_docs(db, client):
    assert 'href="/api/docs"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[" * 50_000,
        b'{"name": "\xff\xfe", "agency_type": "police"}',
        "",
    ],
)
def test_unreadable_bodies_are_refused_not_500(world, client, token_for, body):
    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        body,
        content_type="application/json",
        **bearer(token_for("business_unit")),
    )
    assert response.status_code in {400, 422}
    assert "detail" in response.json()


@pytest.mark.parametrize("body", ["[]", '"a string"', "null", "42"])
def test_bodies_that_are_not_objects_are_refused(world, client, token_for, body):
    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        body,
        content_type="application/json",
        **bearer(token_for("business_unit")),
    )
    assert response.status_code == 422


def test_a_lone_surrogate_is_refused(world, client, token_for):
    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        '{"name": "A\\ud800", "agency_type": "police"}',
        content_type="application/json",
        **bearer(token_for("business_unit")),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"


def test_an_oversized_body_is_refused(world, client, token_for):
    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        '{"name": "' + "x" * (3 * 1024 * 1024) + '", "agency_type": "police"}',
        content_type="application/json",
        **bearer(token_for("business_unit")),
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large"}


def test_an_unexpected_error_answers_json_not_a_traceback(world, client, monkeypatch):
    from learninghub.partnerships import selectors

    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "partnership_list", broken)
    response = client.get("/api/partnerships")
    assert response.status_code == 500
    assert response.json() == {"detail": "Sorry, something went wrong on our side"}
    assert "on fire" not in response.content.decode()
