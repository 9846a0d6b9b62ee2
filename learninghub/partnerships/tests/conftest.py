"""Fixtures for the partnerships tests: auditors, sent email and a way to break a transaction."""

from __future__ import annotations

import html

import pytest
from django.core import mail

from learninghub.core.audit.auditor import Auditor
from learninghub.core.tests.html import error_summary as error_summary  # one parser for all


@pytest.fixture
def bu_auditor(world) -> Auditor:
    """Northdale's business unit member, acting."""
    return Auditor(actor=world.user("business_unit"), ip_address="203.0.113.7")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (emails) of whatever happens inside, like a real commit."""

    class Sent:
        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

        @property
        def outbox(self):
            return mail.outbox

    return Sent()


@pytest.fixture
def fail_on_audit(monkeypatch):
    """Make the n-th audit write raise, to prove a service's writes commit or fail together."""

    def arm(n: int) -> type[Exception]:
        calls = {"count": 0}
        original = Auditor.record

        def record(self, *args, **kwargs):
            calls["count"] += 1
            if calls["count"] == n:
                raise AuditWriteFailed(f"audit write {n} failed")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Auditor, "record", record)
        return AuditWriteFailed

    return arm


class AuditWriteFailed(RuntimeError):
    pass


def page_text(response) -> str:
    """The response body with HTML entities decoded, for asserting on what a person reads."""
    return html.unescape(response.content.decode())
