"""The API tokens pages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learninghub.api import services
from learninghub.api.models import ApiToken
from learninghub.api.selectors import token_digest
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import checked_values, soup, table_rows, text_of

from .factories import make_token

pytestmark = pytest.mark.django_db

LIST = reverse("api_tokens:token_list")
NEW = reverse("api_tokens:token_create")
# Sunday 29 November 2026, midday: 90 days on is 27 February 2027.
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def rows(html: str) -> dict[str, str]:
    """Each token's table row, as text, by the token's name."""
    found = {}
    for cells in table_rows(html):
        text = " ".join(cells)
        found[text.split(" ")[0]] = text
    return found


def test_token_list_shows_only_the_persons_tokens(world, client_for):
    token, plaintext = make_token(world.user("business_unit"), "Action plan spreadsheet")
    make_token(world.user("system_admin"), "Admin's script")
    response = client_for("business_unit").get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Action plan spreadsheet" in html
    assert token.key_prefix in html
    assert "Never used" in html
    assert "Admin&#39;s script" not in html and "Admin's script" not in html
    assert plaintext not in html
    assert 'href="/account/api-tokens/new/"' in html


def test_creating_a_token_shows_it_once(world, client_for):
    browser = client_for("business_unit")
    response = browser.post(NEW, {"name": "Reporting", "scope": "write", "days": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    plaintext = text_of(soup(html).select_one('[data-testid="api-token"]'))
    assert plaintext.startswith("slh_")
    assert "It will not be shown again" in html
    token = ApiToken.objects.get()
    assert token.user == world.user("business_unit")
    assert token.key_hash == token_digest(plaintext)
    # Never again: not on the list, and not kept anywhere it could be read back.
    assert plaintext not in browser.get(LIST).content.decode()
    assert plaintext not in str(dict(browser.session))
    assert plaintext not in str(list(AuditEvent.objects.values()))


def test_creating_a_token_needs_a_name(world, client_for):
    response = client_for("business_unit").post(NEW, {"name": "  ", "scope": "read", "days": "90"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a name for the token" in html
    assert not ApiToken.objects.exists()


def test_a_duplicate_name_shows_the_services_message(world, client_for):
    make_token(world.user("business_unit"), "Reporting")
    response = client_for("business_unit").post(
        NEW, {"name": "Reporting", "scope": "read", "days": "30"}
    )
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


# Scope, expiry and last use -----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_each_tokens_scope_expiry_and_last_use(world, client_for):
    user = world.user("business_unit")
    auditor = Auditor(actor=user)
    make_token(user, "Reporting", scope="read")
    casesystem, _ = make_token(user, "Casesystem", scope="write", days=30)
    services.api_token_touch(token=casesystem)
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        make_token(user, "Old", days=30)
    leaked, _ = make_token(user, "Leaked")
    services.api_token_revoke(auditor=auditor, token=leaked)

    found = rows(client_for("business_unit").get(LIST).content.decode())

    assert "Read only" in found["Reporting"]
    assert "Expires 27 February 2027" in found["Reporting"]
    assert "Never used" in found["Reporting"]
    assert "Active" in found["Reporting"] and "Revoke the token Reporting" in found["Reporting"]
    assert "Read and write" in found["Casesystem"]
    assert "Expires 29 December 2026" in found["Casesystem"]
    assert "29 November 2026 at 12:00pm" in found["Casesystem"]
    # An expired token says so, with nothing left to revoke.
    assert "Expired" in found["Old"] and "Expires" not in found["Old"]
    assert "Revoke" not in found["Old"]
    assert "Revoked 29 November 2026" in found["Leaked"]


@time_machine.travel(NOW, tick=False)
def test_the_form_offers_scopes_and_expiries_with_90_days_chosen(world, client_for):
    html = client_for("business_unit").get(NEW).content.decode()
    assert "Read only" in html and "Read and write" in html
    for label in (
        "In 30 days (29 December 2026)",
        "In 90 days (27 February 2027)",
        "In 180 days (28 May 2027)",
        "In 365 days (29 November 2027)",
    ):
        assert label in html
    assert checked_values(html, "days") == ["90"]
    # No scope is chosen for the person: they decide.
    assert checked_values(html, "scope") == []


@time_machine.travel(NOW, tick=False)
def test_creating_a_read_only_token_for_180_days(world, client_for):
    response = client_for("business_unit").post(
        NEW, {"name": "Reporting", "scope": "read", "days": "180"}
    )
    html = response.content.decode()
    assert "It can read records, but not change them, and it expires on 28 May 2027" in html
    token = ApiToken.objects.get()
    assert token.scope == "read"
    # 180 days on the clock on the wall: midday then as now, though it is summer time then.
    assert f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M %Z}" == "2027-05-28 12:00 BST"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Reporting", "days": "90"}, "Select whether the token can only read, or read"),
        ({"name": "Reporting", "scope": "admin", "days": "90"}, "Select whether the token can"),
        ({"name": "Reporting", "scope": "read"}, "Select when the token should expire"),
        ({"name": "Reporting", "scope": "read", "days": "3650"}, "Select when the token should"),
        ({"name": "Reporting", "scope": "read", "days": "ninety"}, "Select when the token should"),
    ],
)
def test_the_form_needs_a_scope_and_an_expiry(world, client_for, data, message):
    response = client_for("business_unit").post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not ApiToken.objects.exists()
