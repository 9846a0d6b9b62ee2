"""The client's address behind our reverse proxies, and sign-in lockout a stranger cannot turn
against an account's owner (issue 6, finding 6).

TRUSTED_PROXY_COUNT is how many proxies of our own append to X-Forwarded-For: the client is
that many entries from the right, and with 0 the header is ignored. The audit log and
django-axes read the address through the one function, so they always agree.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from learninghub.core.audit.auditor import client_ip
from learninghub.core.audit.models import AuditEvent

PASSWORD = importlib.import_module("learninghub.partnerships.tests.factories").TEST_PASSWORD
LOGIN = "/account/sign-in/"
PROXY = "10.0.0.2"  # our reverse proxy, as the app sees it
OWNER = "practitioner@example.org"


def sign_in(client: Client, email: str, password: str, **meta):
    return client.post(LOGIN, {"email": email, "password": password}, **meta)


def fail(client: Client, email: str, times: int, **meta) -> list[int]:
    return [sign_in(client, email, f"wrong-guess-{n}", **meta).status_code for n in range(times)]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def request_from(remote_addr: str, forwarded_for: str | None = None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


# The client address ------------------------------------------------------------------------


def _fresh_base_settings(monkeypatch):
    monkeypatch.delitem(sys.modules, "learninghub.settings.base", raising=False)
    return importlib.import_module("learninghub.settings.base")


def test_the_default_trusts_no_proxy(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert _fresh_base_settings(monkeypatch).TRUSTED_PROXY_COUNT == 0
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    assert _fresh_base_settings(monkeypatch).TRUSTED_PROXY_COUNT == 2


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        _fresh_base_settings(monkeypatch)


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "client"),
    [
        # No proxy: whatever the client writes in X-Forwarded-For is ignored.
        (0, "203.0.113.9", None, "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1, 198.51.100.2", "203.0.113.9"),
        # One proxy: the right-most entry, the one our proxy added.
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        # ...and entries the client forged to the left of it never win.
        (1, PROXY, "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        (1, PROXY, "not-an-address, 1.1.1.1, 203.0.113.9", "203.0.113.9"),
        # Two proxies: the second from the right (the first proxy added the client).
        (2, PROXY, "198.51.100.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # A request that did not come through the proxy: the connection's own address.
        (1, "203.0.113.50", None, "203.0.113.50"),
        (2, "203.0.113.50", "203.0.113.9", "203.0.113.50"),
        (1, "2001:db8::7", None, "2001:db8::7"),
        (1, PROXY, "2001:db8::9", "2001:db8::9"),
    ],
)
def test_client_address(settings, proxies, remote_addr, forwarded_for, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = request_from(remote_addr, forwarded_for)
    assert client_ip(request) == client
    # django-axes reads it the same way, so lockout and audit always agree.
    assert get_client_ip_address(request) == client


def test_no_usable_address_is_none(settings):
    assert client_ip(request_from("")) is None
    assert client_ip(request_from("unix:/run/gunicorn.sock")) is None


# Behind no proxy (the default) -------------------------------------------------------------


def test_without_a_proxy_a_forged_header_does_not_escape_the_lock(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        sign_in(client, OWNER, f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # A new forged address does not make a new client: still locked.
    response = sign_in(client, OWNER, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429
    assert not signed_in(client)


def test_without_a_proxy_the_audit_log_records_the_connection_address(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(client, OWNER, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip_address == "203.0.113.9"


# Behind one proxy ------------------------------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_a_proxy_each_client_is_counted_apart(world, behind_proxy):
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert fail(stranger, OWNER, 10) == [200] * 9 + [429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}

    # Same REMOTE_ADDR (the proxy), another client: the stranger's lock is not theirs.
    response = sign_in(owner, OWNER, PASSWORD)
    assert response.status_code == 302 and signed_in(owner)
    # The stranger forging the owner's address to the left gains nothing.
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.66")
    assert sign_in(forged, OWNER, PASSWORD).status_code == 429


def test_behind_a_proxy_one_clients_failures_do_not_lock_another_account(world, behind_proxy):
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    fail(stranger, "lead@example.org", 10)
    response = sign_in(colleague, OWNER, PASSWORD)
    assert response.status_code == 302 and signed_in(colleague)


def test_behind_a_proxy_the_audit_log_records_the_client_address(world, behind_proxy):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.9")
    sign_in(client, OWNER, PASSWORD)
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip_address == "203.0.113.9"
    sign_in(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"), OWNER, "wrong-guess")
    failed = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert failed.ip_address == "203.0.113.9"


def test_with_the_proxy_count_left_at_zero_behind_a_proxy_everyone_shares_one_lock(world):
    """Why the setting matters: the same requests as above, with TRUSTED_PROXY_COUNT unset."""
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    fail(stranger, OWNER, 10)
    assert sign_in(owner, OWNER, PASSWORD).status_code == 429


# Lockout ---------------------------------------------------------------------------------


def test_a_stranger_elsewhere_cannot_lock_the_owner_out(world):
    stranger = Client(REMOTE_ADDR="198.51.100.66")
    owner = Client(REMOTE_ADDR="203.0.113.9")

    assert fail(stranger, OWNER, 10) == [200] * 9 + [429]
    assert "Your account is locked here" in sign_in(stranger, OWNER, PASSWORD).content.decode()

    response = sign_in(owner, OWNER, PASSWORD)
    assert response.status_code == 302 and signed_in(owner)


def test_ten_failures_from_one_address_lock_that_account_there(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert fail(client, OWNER, 10) == [200] * 9 + [429]
    response = sign_in(client, OWNER, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    page = response.content.decode()
    assert "Your account is locked here for 5 minutes" in page
    assert "from your device or network" in page
    lockout = AuditEvent.objects.get(kind=AuditEvent.Kind.LOCKOUT)
    assert (
        lockout.summary == f"Account {OWNER} locked from 203.0.113.9 after repeated failed sign-ins"
    )
    # The same address may still sign in to another account: a shared office is not locked.
    colleague = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(colleague, "lead@example.org", PASSWORD).status_code == 302


def test_attempts_refused_while_locked_are_not_counted(world):
    stranger = Client(REMOTE_ADDR="198.51.100.66")
    fail(stranger, OWNER, 10)
    assert fail(stranger, OWNER, 60) == [429] * 60
    # Only the ten before the lock count towards the account's all-addresses limit.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 10
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(owner, OWNER, PASSWORD).status_code == 302


def test_the_account_locks_everywhere_at_its_higher_limit(world, settings):
    assert settings.LOCKOUT_ACCOUNT_FAILURE_LIMIT == 50
    # Ten from each of five addresses: each address's own lock holds the others back.
    for n in range(4):
        assert fail(Client(REMOTE_ADDR=f"198.51.100.{n}"), OWNER, 10) == [200] * 9 + [429]
    assert fail(Client(REMOTE_ADDR="198.51.100.4"), OWNER, 9) == [200] * 9
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(owner, OWNER, PASSWORD).status_code == 302  # 49: not yet
    owner.post("/account/sign-out/")

    assert fail(Client(REMOTE_ADDR="198.51.100.5"), OWNER, 1) == [429]  # the 50th

    response = sign_in(Client(REMOTE_ADDR="203.0.113.9"), OWNER, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Your account is locked for 5 minutes" in page
    assert "from more than one place" in page
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.LOCKOUT,
        summary=f"Account {OWNER} locked everywhere after repeated failed sign-ins",
    ).exists()


def test_one_address_guessing_across_many_accounts_is_paused(world, settings):
    assert settings.LOCKOUT_ADDRESS_FAILURE_LIMIT == 100
    sprayer = Client(REMOTE_ADDR="198.51.100.66")
    statuses = []
    for n in range(11):
        statuses += fail(sprayer, f"person{n}@example.org", 9)
    assert statuses == [200] * 99  # 9 each: under every account-and-address lock
    assert fail(sprayer, OWNER, 1) == [429]  # the 100th from this address
    response = sign_in(sprayer, "lead@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Signing in from here is paused for 5 minutes" in response.content.decode()
    lockout = AuditEvent.objects.get(kind=AuditEvent.Kind.LOCKOUT)
    assert lockout.summary.startswith("Sign-in from 198.51.100.66 paused")
    # Nobody else is affected.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), OWNER, PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_wipe_failures_against_others(world):
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    assert fail(attacker, "lead@example.org", 9) == [200] * 9
    assert sign_in(attacker, OWNER, PASSWORD).status_code == 302  # their own account
    attacker.post("/account/sign-out/")
    # The tenth guess at the other account still locks it from this address.
    assert fail(attacker, "lead@example.org", 1) == [429]


def test_signing_in_clears_ones_own_failures_from_that_address(world):
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert fail(owner, OWNER, 9) == [200] * 9
    assert sign_in(owner, OWNER, PASSWORD).status_code == 302
    owner.post("/account/sign-out/")
    assert fail(owner, OWNER, 9) == [200] * 9
