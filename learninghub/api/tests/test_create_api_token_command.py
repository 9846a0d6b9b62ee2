"""`manage.py create_api_token`: tokens for integrations, issued by an operator."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, ManagementUtility, call_command

from learninghub.api.models import ApiToken
from learninghub.api.selectors import token_digest
from learninghub.core.audit.models import AuditEvent

from .factories import bearer, make_token

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def run(*args, **options) -> list[str]:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out, **options)
    return out.getvalue().splitlines()


def refused(*args, **options) -> str:
    before = ApiToken.objects.count()
    with pytest.raises(CommandError) as error:
        run(*args, **options)
    assert ApiToken.objects.count() == before
    return str(error.value)


@time_machine.travel(NOW, tick=False)
def test_prints_the_token_alone_on_its_last_line_and_it_works(world, client, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops-jo")
    lines = run("BU@example.org", "--name", "Case system", "--scope", "write", "--days", "30")

    assert lines[:-1] == [
        "Created the API token Case system for bu@example.org.",
        "It can read and write, and expires on 29 December 2026. "
        "Copy it now: it will not be shown again.",
    ]
    key = lines[-1]
    token = ApiToken.objects.get()
    assert token.key_hash == token_digest(key)
    assert token.user == world.user("business_unit")
    assert token.scope == "write"
    assert token.expires_at == NOW + timedelta(days=30)

    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 201

    # Audited as a system job naming the operator, never with the token itself.
    event = AuditEvent.objects.get(action="api.token.create")
    assert event.actor is None
    assert event.actor_label == "system: create_api_token (run by ops-jo)"
    assert event.partnership_id == world.partnership.pk
    assert key not in str(event.content())


@time_machine.travel(NOW, tick=False)
def test_reads_only_for_90_days_unless_told_otherwise(world, client):
    key = run("admin@example.org", "--name", "Reporting")[-1]
    token = ApiToken.objects.get()
    assert token.scope == "read"
    assert token.expires_at == NOW + timedelta(days=90)
    response = client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403


def test_an_operator_without_a_name_is_still_recorded(world, monkeypatch):
    def nameless():
        raise OSError("no name for this uid")

    monkeypatch.setattr("getpass.getuser", nameless)
    run("bu@example.org", "--name", "Case system")
    event = AuditEvent.objects.get(action="api.token.create")
    assert event.actor_label == (
        "system: create_api_token (run by an unnamed operating-system user)"
    )


def test_refuses_an_unknown_email(world):
    assert refused("nobody@example.org", "--name", "X") == (
        "No one has the email address nobody@example.org"
    )


@pytest.mark.parametrize("role", ["practitioner", "agency_lead", "case_review_group"])
def test_refuses_a_person_not_allowed_tokens(world, role):
    email = world.user(role).email
    assert refused(email, "--name", "X") == (
        f"{email} may not hold API tokens: only business unit members and system administrators may"
    )


def test_refuses_a_deactivated_account(world):
    user = world.user("business_unit")
    user.is_active = False
    user.save()
    assert refused(user.email, "--name", "X") == "The account bu@example.org is deactivated"


@pytest.mark.parametrize("scope", ["admin", "READ", ""])
def test_refuses_a_bad_scope(world, scope):
    assert refused("bu@example.org", "--name", "X", "--scope", scope) == (
        f"--scope must be read or write, not {scope!r}"
    )


@pytest.mark.parametrize("days", ["0", "-5", "366", "ninety", "1.5", ""])
def test_refuses_bad_days(world, days):
    assert refused("bu@example.org", "--name", "X", "--days", days) == (
        f"--days must be a whole number from 1 to 365, not {days!r}"
    )


def test_refuses_a_name_the_person_already_uses(world):
    make_token(world.user("business_unit"), "Case system")
    message = refused("bu@example.org", "--name", "case system")
    assert message == (
        "No token was created for bu@example.org: You already have a token named case system"
    )
    assert ApiToken.objects.count() == 1


def test_refuses_an_empty_name(world):
    assert refused("bu@example.org", "--name", "  ") == (
        "No token was created for bu@example.org: Enter a name for the token"
    )


def test_a_refusal_exits_non_zero_with_its_message(world, capsys, monkeypatch):
    # As an operator runs it: the message on standard error, a failing exit status, no token.
    # run_from_argv closes every connection when it ends, which would close the test's own
    # transaction on PostgreSQL.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(
            ["manage.py", "create_api_token", "nobody@example.org", "--name", "X"]
        ).execute()
    assert exit_.value.code != 0
    output = capsys.readouterr()
    assert "No one has the email address nobody@example.org" in output.err
    assert output.out == ""
    assert not ApiToken.objects.exists()
