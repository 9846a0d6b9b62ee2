"""Strangers cannot grow the audit log (issue 6, finding 5).

Anonymous refusals, failed sign-ins for addresses with no account and attempts refused
while a lock holds go to the `learninghub.security` application log, at most
LINES_PER_MINUTE lines a minute; what a signed-in person is refused, and failed sign-ins and
lockouts of real accounts, stay in the audit log.
"""

from __future__ import annotations

import importlib
import logging

import pytest
from django.test import Client
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.core.security_log import LINES_PER_MINUTE, RateLimitedLog, security_log

PASSWORD = importlib.import_module("learninghub.partnerships.tests.factories").TEST_PASSWORD
LOGIN = "/account/sign-in/"


@pytest.fixture(autouse=True)
def fresh_allowance():
    security_log.reset()
    yield
    security_log.reset()


def security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "learninghub.security"]


def sign_in(client: Client, email: str, password: str):
    return client.post(LOGIN, {"email": email, "password": password})


# Refusals --------------------------------------------------------------------------------


def test_twenty_anonymous_csrf_failures_add_no_audit_rows(world, caplog):
    client = Client(enforce_csrf_checks=True)
    before = AuditEvent.objects.count()
    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        for n in range(20):
            response = client.post(f"/account/sign-in/?attempt={n}", {"email": "x@example.org"})
            assert response.status_code == 403
            assert "Your form has expired" in response.content.decode()
            client.post(f"/account/invitation/attacker-chosen-{n}/")
    assert AuditEvent.objects.count() == before
    lines = security_lines(caplog)
    assert len(lines) == 40
    assert "CSRF check failed" in lines[0] and "'/account/sign-in/'" in lines[0]
    assert "'/account/invitation/attacker-chosen-0/'" in lines[1]


def test_an_attacker_chosen_path_cannot_forge_log_lines(world, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        client.post("/account/invitation/x%0AWARNING fake line/")
    (line,) = security_lines(caplog)
    assert "\n" not in line and "\\n" in line


def test_a_signed_in_persons_refusal_is_still_audited(world, client_for):
    client = client_for("practitioner")
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    denied = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert denied.actor == world.user("practitioner")
    assert denied.summary == "Permission denied: POST /account/sign-out/"


# The rate limit --------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_log_is_rate_limited_and_counts_what_it_held_back(caplog):
    clock = FakeClock()
    log = RateLimitedLog(logging.getLogger("learninghub.security"), per_minute=3, clock=clock)
    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        written = [log.warning("refused %d", n) for n in range(5)]
        clock.now += 59
        written.append(log.warning("refused %d", 5))
        clock.now += 1
        written.append(log.warning("refused %d", 6))
    assert written == [True, True, True, False, False, False, True]
    assert security_lines(caplog) == [
        "refused 0",
        "refused 1",
        "refused 2",
        "3 more security events in the last minute were not logged (rate limit 3 a minute)",
        "refused 6",
    ]


def test_a_flood_writes_at_most_the_allowance(world, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        for n in range(LINES_PER_MINUTE + 15):
            client.post(f"/account/invitation/flood-{n}/")
    assert len(security_lines(caplog)) == LINES_PER_MINUTE
    assert not AuditEvent.objects.exists()


# Sign-in ---------------------------------------------------------------------------------


def test_a_failed_sign_in_for_an_unknown_address_is_not_an_audit_row(world, caplog):
    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        for n in range(20):
            response = sign_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), f"nobody{n}@example.org", "x")
            assert response.status_code == 200
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).exists()
    lines = security_lines(caplog)
    assert len(lines) == 20
    assert "'nobody0@example.org'" in lines[0] and "198.51.100.0" in lines[0]


def test_a_failed_sign_in_for_a_real_account_is_audited(world):
    sign_in(Client(), "Practitioner@Example.org", "not-the-password")
    failed = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert failed.summary == "Failed sign-in for practitioner@example.org"
    assert failed.ip_address == "127.0.0.1"


def test_a_locked_account_is_audited_once_however_often_it_is_tried(world, caplog):
    client = Client()
    for n in range(10):
        sign_in(client, "practitioner@example.org", f"wrong-{n}")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).count() == 10
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT).count() == 1
    before = AuditEvent.objects.count()

    with caplog.at_level(logging.WARNING, logger="learninghub.security"):
        for n in range(20):
            assert sign_in(client, "practitioner@example.org", f"again-{n}").status_code == 429
    assert AuditEvent.objects.count() == before
    assert len(security_lines(caplog)) == 20


def test_locking_an_unknown_address_writes_no_audit_row(world):
    client = Client()
    statuses = [sign_in(client, "nobody@example.org", f"wrong-{n}").status_code for n in range(15)]
    assert statuses == [200] * 9 + [429] * 6
    assert not AuditEvent.objects.exists()
