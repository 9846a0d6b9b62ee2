"""The demonstration data: fictional, clearly marked, safe to load twice, and usable to sign in."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from learninghub.partnerships.demo import ACCOUNTS, DEMO_PASSWORD
from learninghub.partnerships.models import (
    Agency,
    Membership,
    Partnership,
    RegionalNetwork,
    User,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "networks": RegionalNetwork.objects.count(),
        "partnerships": Partnership.objects.count(),
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_running_it_twice_changes_nothing_and_prints_the_same_logins():
    first_output = _seed()
    first = _counts()
    second_output = _seed()

    assert _counts() == first
    assert first["partnerships"] == 5
    assert first["agencies"] == 10 + 4 * 3
    assert first["users"] == 6
    assert first["memberships"] == 5
    assert first["audit events"] > 0
    assert _login_table(second_output) == _login_table(first_output)


def _login_table(output: str) -> list[str]:
    return [line for line in output.splitlines() if "@" in line]


def test_it_prints_each_login_with_the_password_and_the_two_factor_secrets():
    output = _seed()

    assert f"Password for all: {DEMO_PASSWORD}" in output
    assert len(_login_table(output)) == len(ACCOUNTS) == 6
    for account in ACCOUNTS:
        line = next(line for line in output.splitlines() if account.email in line)
        assert account.role_label in line
        needs_code = account.role is None or account.role in ROLES_REQUIRING_TWO_FACTOR
        if needs_code:
            assert line.rstrip().endswith(account.totp_secret)
            assert len(base64.b32decode(account.totp_secret)) == 20
        else:
            assert "(not needed for this role)" in line
            assert account.totp_secret not in output

    # Every demo record is marked as fictional and written as the demo data job.
    assert Partnership.objects.filter(is_demo=False).count() == 0
    assert all("(demonstration)" in n.name for n in RegionalNetwork.objects.all())
    for user in User.objects.all():
        # Pseudonymous and marked: no demo account could be mistaken for a real person.
        assert user.full_name.endswith("(demo)"), user.full_name
        assert user.email.endswith("@demo.learninghub.example")
        assert user.email_confirmed_at is not None
    partnership_events = AuditEvent.objects.filter(action__startswith="partnerships.")
    assert set(partnership_events.values_list("actor_label", flat=True)) == {"system: demo data"}
    assert partnership_events.filter(action="partnerships.agency.create").count() == 22

    # One account per role in Northdale, and a system administrator outside any partnership.
    northdale = Partnership.objects.get(short_name="NDSCP")
    roles = Membership.objects.filter(partnership=northdale).values_list("role", flat=True)
    assert sorted(roles) == sorted(Role.values)
    admin = User.objects.get(email="admin@demo.learninghub.example")
    assert admin.is_superuser
    assert not admin.memberships.exists()


def test_the_printed_logins_work():
    _seed()
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"email": "business.unit@demo.learninghub.example", "password": DEMO_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:two_factor")

    out = io.StringIO()
    call_command("demo_totp_code", "business.unit@demo.learninghub.example", stdout=out)
    code = out.getvalue().strip()
    assert code.isdigit() and len(code) == 6

    # The printed code is accepted: it comes from the secret the table printed.
    done = client.post(reverse("accounts:two_factor"), {"token": code})
    assert done["Location"] == reverse("core:dashboard")
    assert client.get(reverse("partnerships:people_list")).status_code == 200

    # The code command serves the printed demo accounts only.
    with pytest.raises(CommandError):
        call_command("demo_totp_code", "someone@example.org", stdout=io.StringIO())
