"""The API's document, its docs page, and input that must never cause a 500."""

import pytest
from django.contrib.staticfiles import finders

from learninghub.core.tests.html import soup

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
    page = soup(response)
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    # No inline script for the policy to block: the settings travel as JSON data.
    inline = page.find_all("script", src=False)
    assert [script.get("type") for script in inline] == ["application/json"]
    # Nor inline styles: the stylesheets are files, ours last so that it wins.
    assert not page.find_all("style") and not page.find_all(style=True)
    sheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert sheets == ["/static/ninja/swagger-ui.css", "/static/api/docs.css"]
    for path in scripts + sheets:
        assert finders.find(path.removeprefix("/static/")), path
    assert "'self'" in response["Content-Security-Policy"]


def test_docs_page_is_in_english_with_a_heading(db, client):
    page = soup(client.get("/api/docs"))
    # Without `lang`, screen readers guess the language (axe: html-has-lang, WCAG 3.1.1).
    assert page.html["lang"] == "en-GB"
    assert [h1.get_text(strip=True) for h1 in page.find_all("h1")] == ["API documentation"]
    assert page.title.get_text(strip=True) == "API documentation – Safeguarding Learning Hub API"


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
