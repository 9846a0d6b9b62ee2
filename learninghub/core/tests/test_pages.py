"""Pages every visitor shares: the home page, the GOV.UK frame, errors, health and limits."""

from __future__ import annotations

import importlib
import json

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from learninghub.core import views
from learninghub.core.tests.html import soup, text_of

factories = importlib.import_module("learninghub.partnerships.tests.factories")


def html_of(response) -> str:
    return response.content.decode()


def nav_links(html: str) -> list[str]:
    """The texts of the header's service navigation links."""
    links = soup(html).select('nav[aria-label="Menu"] a.govuk-service-navigation__link')
    return [text_of(link) for link in links]


# The home page ---------------------------------------------------------------------------

HOME_SECTIONS = [
    ("practice-reviews", "Child safeguarding practice reviews"),
    ("national-panel", "The national Panel"),
    ("child-deaths", "Child deaths"),
    ("sharing", "Sharing learning across the region"),
    ("briefings", "7 point briefings"),
    ("masterclasses", "Learning Masterclasses"),
    ("action-plans", "Action plans"),
    ("training", "Multi-agency training"),
    ("inspections", "Joint targeted area inspections"),
]


def test_home_page_explains_the_partnerships_learning_work(client):
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    assert '<h1 class="govuk-heading-xl">Multi-agency learning and development</h1>' in html
    for anchor, heading in HOME_SECTIONS:
        assert f'id="{anchor}">{heading}</h2>' in html, heading
        assert f'href="#{anchor}">{heading}</a>' in html, f"contents link to {heading}"
    # The statutory substance, not only the headings.
    assert "Child Safeguarding Practice Review Panel" in html
    assert "within 5 working days" in html
    assert "15 working days" in html
    assert "National Child Mortality Database" in html
    assert "regional network" in html
    assert "Ofsted" in html


def test_home_page_invites_visitors_to_register_or_sign_in(client, client_for):
    html = html_of(client.get("/"))
    assert 'href="/account/register/"' in html
    assert 'href="/account/sign-in/"' in html
    signed_in = html_of(client_for("practitioner").get("/"))
    assert 'href="/account/register/"' not in signed_in
    assert "Sign out" in signed_in


# The GOV.UK frame on every page ----------------------------------------------------------

PUBLIC_PAGES = [
    "/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/account/sign-in/",
    "/account/register/",
]


def assert_govuk_frame(html: str) -> None:
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "govuk-phase-banner" in html and "Beta" in html
    assert 'href="/accessibility/">Accessibility statement</a>' in html
    assert 'href="/privacy/">Privacy notice</a>' in html
    assert 'href="/cookies/">Cookies</a>' in html
    assert '<html lang="en"' in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_govuk_frame(db, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_govuk_frame(html_of(response))


@pytest.mark.parametrize("role", ["practitioner", "business_unit", "system_admin"])
def test_signed_in_pages_have_the_govuk_frame(client_for, role):
    response = client_for(role).get("/dashboard/")
    assert response.status_code == 200
    assert_govuk_frame(html_of(response))


def test_information_pages_have_their_headings(client):
    assert "Accessibility statement for" in html_of(client.get("/accessibility/"))
    assert '<h1 class="govuk-heading-l">Privacy' in html_of(client.get("/privacy/"))


def test_cookies_page_lists_essential_cookies_only(client):
    html = html_of(client.get("/cookies/"))
    assert "only essential cookies" in html
    assert "do not use analytics or advertising cookies" in html
    assert django_settings.SESSION_COOKIE_NAME == "hub_session"
    assert "hub_session" in html
    assert django_settings.CSRF_COOKIE_NAME in html


# Errors ----------------------------------------------------------------------------------


def test_page_not_found_is_a_govuk_page(db, client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "<title>Page not found – Safeguarding Learning Hub</title>" in html
    assert_govuk_frame(html)


def test_server_error_handler_renders_a_govuk_page(rf):
    request = rf.get("/anything/")
    request.user = AnonymousUser()
    response = views.server_error(request)
    assert response.status_code == 500
    html = html_of(response)
    assert "Sorry, there is a problem with the service" in html
    assert "Nothing you entered has been saved" in html
    assert_govuk_frame(html)


def test_an_unexpected_error_gives_the_500_page_not_a_traceback(client_for, monkeypatch):
    def broken(user):
        raise RuntimeError("the dashboard's links could not be built")

    monkeypatch.setattr(views, "items_for", broken)
    client = client_for("practitioner")
    client.raise_request_exception = False
    response = client.get("/dashboard/")
    assert response.status_code == 500
    html = html_of(response)
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def test_permission_denied_handler(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = views.permission_denied(request)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in html_of(response)


# Health ----------------------------------------------------------------------------------


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise ConnectionError("database unreachable")

    monkeypatch.setattr(views, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert "unreachable" not in response.content.decode()  # no internals leak


def test_healthz_is_read_only(client, db):
    assert client.post("/healthz").status_code == 405


# Request size limits ---------------------------------------------------------------------


def test_an_oversized_form_gets_413_not_500(client, db):
    body = "full_name=" + "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/account/register/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    html = html_of(response)
    assert "too large" in html
    assert_govuk_frame(html)


def test_too_many_fields_gets_413(client, db):
    count = django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    body = "&".join(f"field{n}=1" for n in range(count))
    response = client.post(
        "/account/register/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "too many fields" in html_of(response)


def test_an_oversized_form_with_csrf_checks_is_still_413(db):
    # A real browser has the CSRF cookie, so the middleware reads the body to find the token.
    client = Client(enforce_csrf_checks=True)
    client.get("/account/sign-in/")
    body = "csrfmiddlewaretoken=x&full_name=" + "x" * (
        django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    )
    response = client.post(
        "/account/sign-in/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


# Navigation by role ----------------------------------------------------------------------

MANAGER_LINKS = {"Agencies", "People", "Audit log"}


def test_business_unit_sees_the_management_links(client_for):
    links = nav_links(html_of(client_for("business_unit").get("/dashboard/")))
    assert set(links) >= MANAGER_LINKS
    assert "Admin" not in links


def test_practitioner_sees_no_management_links(client_for):
    links = nav_links(html_of(client_for("practitioner").get("/dashboard/")))
    assert "Dashboard" in links
    assert not MANAGER_LINKS & set(links)
    assert "Admin" not in links


@pytest.mark.parametrize("role", ["agency_lead", "case_review_group", "independent_reviewer"])
def test_other_roles_see_no_management_links(client_for, role):
    links = nav_links(html_of(client_for(role).get("/dashboard/")))
    assert not MANAGER_LINKS & set(links)


def test_system_admin_sees_admin(client_for):
    links = nav_links(html_of(client_for("system_admin").get("/dashboard/")))
    assert "Admin" in links
    assert "Audit log" in links


def test_anonymous_visitors_see_no_navigation(client):
    assert nav_links(html_of(client.get("/"))) == []


def test_navigation_is_in_the_order_the_apps_gave(client_for):
    links = nav_links(html_of(client_for("business_unit").get("/dashboard/")))
    assert links[0] == "Dashboard"
    assert links.index("Agencies") < links.index("People") < links.index("Audit log")


@pytest.mark.parametrize(
    ("role", "short_name"), [("practitioner", "NDSCP"), ("other_business_unit", "EMSCP")]
)
def test_header_shows_the_persons_partnership(client_for, world, role, short_name):
    html = html_of(client_for(role).get("/"))
    who = soup(html).select_one("span.hub-account__who")
    assert who is not None
    assert who.get_text().strip() == f"{world.user(role).full_name} · {short_name}"


# Query counts: constant whatever the volume ----------------------------------------------


def test_home_page_queries_anonymous(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "business_unit", "system_admin"])
def test_home_page_queries_signed_in(client_for, role, django_assert_max_num_queries):
    client = client_for(role)
    client.get("/")  # the first request may refresh the session
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "business_unit", "system_admin"])
def test_dashboard_queries(client_for, role, django_assert_max_num_queries):
    client = client_for(role)
    client.get("/dashboard/")
    with django_assert_max_num_queries(8):
        assert client.get("/dashboard/").status_code == 200


def test_dashboard_queries_do_not_grow_with_memberships(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("practitioner")
    client.get("/dashboard/")
    for n in range(6):
        partnership = factories.PartnershipFactory(short_name=f"XTRA{n}")
        factories.MembershipFactory(
            user=world.user("practitioner"), partnership=partnership, role="practitioner"
        )
    with django_assert_max_num_queries(8):
        assert client.get("/dashboard/").status_code == 200


def test_healthz_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get("/healthz").status_code == 200
