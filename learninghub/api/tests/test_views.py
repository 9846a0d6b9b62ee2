"""The API tokens pages."""

import re

import pytest
from django.urls import reverse

from learninghub.api.models import ApiToken
from learninghub.api.selectors import token_digest
from learninghub.core.audit.models import AuditEvent

from .factories import make_token

pytestmark = pytest.mark.django_db

LIST = reverse("api_tokens:token_list")
NEW = reverse("api_tokens:token_create")


def test_token_list_shows_only_the_persons_tokens(world, client_for):
    token, plaintext = make_token(world.user("business_unit"), "Action plan spreadsheet")
    make_token(world.user("system_admin"), "Admin's script")
    response = client_for("business_unit").get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Action plan spreadsheet" in html
    assert token.key_prefix in html
    assert "Never" in html
    assert "Admin&#39;s script" not in html and "Admin's script" not in html
    assert plaintext not in html
    assert 'href="/account/api-tokens/new/"' in html


def test_creating_a_token_shows_it_once(world, client_for):
    browser = client_for("business_unit")
    response = browser.post(NEW, {"name": "Reporting"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    plaintext = re.search(r'data-testid="api-token">(slh_[^<]+)<', html).group(1)
    assert "It will not be shown again" in html
    token = ApiToken.objects.get()
    assert token.user == world.user("business_unit")
    assert token.key_hash == token_digest(plaintext)
    # Never again: not on the list, and not kept anywhere it could be read back.
    assert plaintext not in browser.get(LIST).content.decode()
    assert plaintext not in str(dict(browser.session))
    assert plaintext not in str(list(AuditEvent.objects.values()))


def test_creating_a_token_needs_a_name(world, client_for):
    response = client_for("business_unit").post(NEW, {"name": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a name for the token" in html
    assert not ApiToken.objects.exists()


def test_a_duplicate_name_shows_the_services_message(world, client_for):
    make_token(world.user("business_unit"), "Reporting")
    response = client_for("business_unit").post(NEW, {"name": "Reporting"})
    assert "You already have a token named Reporting" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_revoking_a_token(world, client_for):
    token, _ = make_token(world.user("business_unit"), "Reporting")
    browser = client_for("business_unit")
    url = reverse("api_tokens:token_revoke", args=[token.pk])
    assert "Revoke the token Reporting" in browser.get(url).content.decode()

    response = browser.post(url, {})
    assert "Confirm that you want to revoke this token" in response.content.decode()
    token.refresh_from_db()
    assert token.is_active

    response = browser.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == LIST
    token.refresh_from_db()
    assert not token.is_active
    html = browser.get(LIST).content.decode()
    assert "The token Reporting was revoked" in html
    assert "Revoked" in html
    assert AuditEvent.objects.filter(
        action="api.token.revoke", actor=world.user("business_unit")
    ).exists()


def test_revoking_twice_shows_a_message(world, client_for):
    token, _ = make_token(world.user("business_unit"))
    browser = client_for("business_unit")
    url = reverse("api_tokens:token_revoke", args=[token.pk])
    browser.post(url, {"confirm": "on"})
    response = browser.post(url, {"confirm": "on"})
    assert "This token has already been revoked" in response.content.decode()


def test_nobody_else_can_revoke_a_token(world, client_for):
    token, _ = make_token(world.user("business_unit"))
    url = reverse("api_tokens:token_revoke", args=[token.pk])
    for role in ("other_business_unit", "system_admin"):
        assert client_for(role).post(url, {"confirm": "on"}).status_code == 404
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.parametrize("role", ["practitioner", "agency_lead", "case_review_group"])
def test_people_who_may_not_hold_tokens_get_404(world, client_for, role):
    browser = client_for(role)
    assert browser.get(LIST).status_code == 404
    assert browser.post(NEW, {"name": "Sneaky"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_the_menu_shows_api_tokens_to_those_who_may_hold_them(world, client_for):
    link = f'href="{LIST}"'
    assert link in client_for("business_unit").get(reverse("core:dashboard")).content.decode()
    assert link in client_for("system_admin").get(reverse("core:dashboard")).content.decode()
    assert link not in client_for("practitioner").get(reverse("core:dashboard")).content.decode()
