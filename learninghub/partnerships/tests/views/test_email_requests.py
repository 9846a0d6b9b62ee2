"""Registration, password reset and confirmation resend (issue 6, finding 4).

The same work whether or not the address has an account (no enumeration by timing), and
limits per address and per client IP address so nobody can flood an inbox.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learninghub.partnerships import services
from learninghub.partnerships.models import User
from learninghub.partnerships.tests.conftest import page_text

PASSWORD = "lantern-orchard-violet-42"
REGISTER = reverse("accounts:register")
RESET = reverse("accounts:password_reset")
RESEND = reverse("accounts:confirmation_resend")
TOO_MANY = "You have asked for too many emails"
WAIT = "Wait an hour, then try again."


def _registration(world, email):
    return {
        "full_name": "Jo Practitioner",
        "email": email,
        "partnership": world.partnership.pk,
        "agency": world.agency.pk,
        "password": PASSWORD,
    }


FORMS = {
    "registration": (REGISTER, _registration),
    "password_reset": (RESET, lambda world, email: {"email": email}),
    "confirmation_resend": (RESEND, lambda world, email: {"email": email}),
}


def _shape(sql: str) -> str:
    """A query with its values taken out, so two requests can be compared statement by
    statement (session keys and rate-limit digests differ, the work must not)."""
    sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', sql)
    return re.sub(r"\b\d+\b", "?", re.sub(r"'(?:[^']|'')*'", "?", sql))


@pytest.fixture
def queued(settings):
    """Tasks are queued, not run: what the request itself does, without the worker's part."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend.results


def _post(url, data, ip="198.51.100.20"):
    client = Client(REMOTE_ADDR=ip)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, [_shape(q["sql"]) for q in queries.captured_queries]


class TestSameWorkEitherWay:
    @pytest.mark.parametrize(
        ("form", "task"),
        [
            ("registration", "register_practitioner"),
            ("password_reset", "send_password_reset"),
            ("confirmation_resend", "resend_confirmation"),
        ],
    )
    def test_an_existing_and_a_new_address_get_the_same_work(self, world, queued, form, task):
        if form == "confirmation_resend":  # an address waiting to be confirmed, to be fair
            User.objects.filter(email="practitioner@example.org").update(email_confirmed_at=None)
        url, data = FORMS[form]
        users_before = User.objects.count()

        existing, existing_queries = _post(url, data(world, "practitioner@example.org"))
        assert [r.task.name for r in queued] == [task]
        new, new_queries = _post(url, data(world, "jo@example.org"))
        assert [r.task.name for r in queued] == [task, task]

        assert existing.status_code == new.status_code == 302
        assert existing["Location"] == new["Location"]
        assert existing_queries == new_queries
        # Nothing is looked up, made or sent until the worker runs the task.
        assert not any("partnerships_user" in sql for sql in new_queries)
        assert User.objects.count() == users_before
        assert mail.outbox == []

    def test_the_worker_then_does_what_the_address_needs(self, world, sent):
        # With tasks run at once (as the worker would), the end results are as before.
        with sent():
            _post(REGISTER, _registration(world, "jo@example.org"))
            _post(REGISTER, _registration(world, "practitioner@example.org"))
            _post(RESET, {"email": "lead@example.org"})
            _post(RESET, {"email": "nobody@example.org"})
        assert User.objects.get(email="jo@example.org").email_confirmed_at is None
        assert [(m.to, m.subject.split(" for ")[0].split(" on ")[0]) for m in mail.outbox] == [
            (["jo@example.org"], "Confirm your email address"),
            (["practitioner@example.org"], "You already have an account"),
            (["lead@example.org"], "Reset your password"),
        ]


class TestRateLimits:
    def test_the_fourth_reset_request_for_an_address_within_the_hour_is_refused(self, world, sent):
        with sent():
            for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
                assert _post(RESET, {"email": "practitioner@example.org"}, ip)[0].status_code == 302
            refused, _ = _post(RESET, {"email": " Practitioner@Example.org"}, "198.51.100.4")
        assert len(mail.outbox) == 3

        assert refused.status_code == 429
        text = page_text(refused)
        assert TOO_MANY in text
        assert WAIT in text
        assert refused["Retry-After"] == "3600"

        with time_machine.travel(timezone.now() + timedelta(minutes=61)), sent():
            allowed, _ = _post(RESET, {"email": "practitioner@example.org"})
        assert allowed.status_code == 302
        assert len(mail.outbox) == 4

    @pytest.mark.parametrize("form", FORMS)
    def test_an_address_gets_three_a_hour_whether_or_not_it_has_an_account(self, world, form):
        url, data = FORMS[form]
        for email in ("practitioner@example.org", "nobody@example.org"):
            answers = [_post(url, data(world, email), f"203.0.113.{i}")[0] for i in range(4)]
            # A refusal for an unknown address looks the same as for a known one.
            assert [a.status_code for a in answers] == [302, 302, 302, 429], email

    @pytest.mark.parametrize("form", FORMS)
    def test_the_eleventh_request_from_one_ip_address_is_refused(self, world, sent, form):
        url, data = FORMS[form]
        with sent():
            answers = [_post(url, data(world, f"person{i}@example.org"))[0] for i in range(11)]
        assert [a.status_code for a in answers] == [302] * 10 + [429]
        assert WAIT in page_text(answers[-1])
        if form == "registration":
            assert User.objects.filter(email="person9@example.org").exists()
            assert not User.objects.filter(email="person10@example.org").exists()

        # Another address is not held up by this one's limit, and an hour later it is free.
        assert _post(url, data(world, "other@example.org"), "203.0.113.9")[0].status_code == 302
        with time_machine.travel(timezone.now() + timedelta(minutes=61)):
            assert _post(url, data(world, "person10@example.org"))[0].status_code == 302

    def test_a_refused_registration_sends_nothing_and_makes_no_account(self, world, sent):
        with sent():
            for i in range(3):
                _post(REGISTER, _registration(world, "jo@example.org"), f"203.0.113.{i}")
        assert len(mail.outbox) == 3
        mail.outbox.clear()
        with sent():
            refused, _ = _post(REGISTER, _registration(world, "jo@example.org"), "203.0.113.9")
        assert refused.status_code == 429
        assert TOO_MANY in page_text(refused)
        assert mail.outbox == []

    def test_each_kind_of_request_has_its_own_limit(self, world):
        for i in range(3):
            _post(RESET, {"email": "jo@example.org"}, f"203.0.113.{i}")
        assert _post(RESET, {"email": "jo@example.org"})[0].status_code == 429
        registered, _ = _post(REGISTER, _registration(world, "jo@example.org"))
        assert registered.status_code == 302

    def test_a_weak_password_is_not_counted(self, world):
        for _ in range(5):
            weak = _registration(world, "jo@example.org") | {"password": "tiny-pw"}
            assert _post(REGISTER, weak)[0].status_code == 200
        assert _post(REGISTER, _registration(world, "jo@example.org"))[0].status_code == 302


def test_registering_the_same_address_again_is_limited_too(world):
    # The replacement of an unconfirmed registration cannot be used to flood its owner.
    for i in range(3):
        services.practitioner_registration_request(
            email="jo@example.org",
            full_name=f"Attempt {i}",
            password=PASSWORD,
            agency=world.agency,
            ip_address=f"203.0.113.{i}",
        )
    from learninghub.core.ratelimit.services import RateLimited

    with pytest.raises(RateLimited):
        services.practitioner_registration_request(
            email="jo@example.org",
            full_name="Attempt 4",
            password=PASSWORD,
            agency=world.agency,
            ip_address="203.0.113.99",
        )
    assert User.objects.get(email="jo@example.org").full_name == "Attempt 2"
