"""The audit log: one story per record, nothing anonymous, no secrets, and tamper-evident.

The core imports no domain app (import-linter), so these tests reach the partnerships app,
the one whose records they audit, through the app registry and `importlib`.
"""

from __future__ import annotations

import importlib
import io
import itertools
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.auditor import (
    GENESIS_HASH,
    REDACTED,
    AnonymousAuditError,
    Auditor,
    snapshot,
)
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.selectors import audit_history_for, audit_search
from learninghub.core.audit.verify import verify_chain

services = importlib.import_module("learninghub.partnerships.services")
factories = importlib.import_module("learninghub.partnerships.tests.factories")
PASSWORD = factories.TEST_PASSWORD

SYSTEM = Auditor.for_system("test suite")


def Agency():
    return apps.get_model("partnerships", "Agency")


def all_log_text() -> str:
    """Every stored column of every event, exactly as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent")
        return json.dumps(cursor.fetchall(), default=str)


def stored_changes() -> str:
    """The `changes` column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM core_auditevent")
        return json.dumps(cursor.fetchall())


def events_in_order() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def verify_command() -> str:
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


# Create and update -----------------------------------------------------------------------


def test_create_records_the_new_values_of_the_named_fields(world):
    auditor = Auditor(actor=world.user("business_unit"), ip_address="192.0.2.10")
    agency = services.agency_create(
        auditor=auditor,
        partnership=world.partnership,
        name="Northdale Youth Justice Service",
        agency_type="youth_justice",
    )

    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.CREATE
    assert event.action == "partnerships.agency.create"
    assert event.actor == world.user("business_unit")
    assert event.actor_label == "bu@example.org"
    assert event.ip_address == "192.0.2.10"
    assert event.partnership_id == world.partnership.pk
    assert (event.object_type, event.object_id) == ("partnerships.agency", str(agency.pk))
    assert event.changes == {
        "name": [None, "Northdale Youth Justice Service"],
        "agency_type": [None, "youth_justice"],
        "is_active": [None, True],
    }


def test_update_records_only_the_fields_that_changed_old_to_new(world):
    services.agency_update(
        auditor=Auditor(actor=world.user("business_unit")),
        agency=world.agency,
        name="Northdale and Eastmoor Police",
        agency_type=world.agency.agency_type,  # unchanged
        is_active=True,  # unchanged
    )

    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.UPDATE
    assert event.changes == {"name": ["Northdale Police", "Northdale and Eastmoor Police"]}


def test_an_update_that_changes_nothing_records_no_changed_fields(world):
    before = snapshot(world.agency, ["name", "is_active"])
    event = SYSTEM.updated(world.agency, action="test.noop", summary="Saved", before=before)
    assert event.changes == {}


# Secrets ---------------------------------------------------------------------------------


def test_password_hash_never_reaches_the_log(world):
    user = world.user("practitioner")
    before = snapshot(user, ["password", "full_name"])
    old_hash = user.password
    user.set_password("a-brand-new-passphrase-2026")
    user.full_name = "Renamed Practitioner"
    event = Auditor(actor=user).updated(
        user, action="account.password", summary="Changed password", before=before
    )

    assert event.changes["password"] == [REDACTED, REDACTED]
    assert event.changes["full_name"][1] == "Renamed Practitioner"
    stored = all_log_text()
    assert old_hash not in stored
    assert user.password not in stored
    assert "a-brand-new-passphrase-2026" not in stored


def test_user_create_never_logs_the_password(world):
    services.user_create(
        auditor=SYSTEM,
        email="new.starter@example.org",
        full_name="New Starter",
        password="tangerine-lighthouse-orbit",
    )
    user = apps.get_model("partnerships", "User").objects.get(email="new.starter@example.org")
    stored = all_log_text()
    assert "tangerine-lighthouse-orbit" not in stored
    assert user.password not in stored


def test_invitation_token_hash_is_redacted(world):
    invitation, token = services.invitation_create(
        auditor=Auditor(actor=world.user("business_unit")),
        partnership=world.partnership,
        email="invitee@example.org",
        role="practitioner",
        agency=world.agency,
    )
    # The service does not list the secret; a careless caller that does must still not leak it.
    event = SYSTEM.created(
        invitation, action="test.invitation", summary="Invited", fields=["email", "token_hash"]
    )
    assert event.changes["token_hash"] == [REDACTED, REDACTED]
    assert event.changes["email"] == [None, "invitee@example.org"]
    stored = all_log_text()
    assert invitation.token_hash not in stored
    assert token not in stored


@pytest.mark.parametrize("field", ["password", "token_hash", "key_hash", "secret", "key"])
def test_always_redacted_field_names_whatever_the_model(world, field):
    event = SYSTEM.record(
        AuditEvent.Kind.UPDATE,
        action="test.secret",
        summary="Rotated a secret",
        obj=world.agency,
        changes={field: ["old-secret-value-111", "new-secret-value-222"]},
    )
    assert event.changes == {field: [REDACTED, REDACTED]}
    stored = all_log_text()
    assert "old-secret-value-111" not in stored
    assert "new-secret-value-222" not in stored


def test_model_audit_redact_and_secret_fields_are_honoured(world):
    agency = world.agency
    agency.audit_redact = ("name",)  # a model can declare its own secret fields
    before = snapshot(agency, ["name", "agency_type"])
    agency.name = "Codename Kestrel"
    agency.agency_type = "health_gp"
    event = SYSTEM.updated(agency, action="test.redact", summary="Changed", before=before)
    assert event.changes["name"] == [REDACTED, REDACTED]
    assert event.changes["agency_type"] == ["police", "health_gp"]
    # The record's name is also its label (object_repr); the changed values are what is hidden.
    assert "Codename Kestrel" not in stored_changes()

    del agency.audit_redact
    before = snapshot(agency, ["name"])
    agency.name = "Codename Merlin"
    event = SYSTEM.updated(
        agency, action="test.redact", summary="Changed", before=before, secret_fields=["name"]
    )
    assert event.changes == {"name": [REDACTED, REDACTED]}
    assert "Codename Merlin" not in stored_changes()


# Nothing changes anonymously ---------------------------------------------------------------


def test_auditor_without_actor_or_system_job_refuses_and_writes_nothing(world):
    with pytest.raises(AnonymousAuditError):
        Auditor().created(world.agency, action="test.anon", summary="Anonymous", fields=["name"])
    with pytest.raises(AnonymousAuditError):
        Auditor(ip_address="192.0.2.1").record(AuditEvent.Kind.ACTION, action="x", summary="x")
    assert not AuditEvent.objects.exists()


def test_auditor_from_an_anonymous_request_refuses(world, rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    auditor = Auditor.from_request(request)
    assert auditor.actor is None
    with pytest.raises(AnonymousAuditError):
        auditor.record(AuditEvent.Kind.ACTION, action="x", summary="x")


def test_service_with_anonymous_auditor_writes_nothing_at_all(world):
    with pytest.raises(AnonymousAuditError):
        services.agency_create(
            auditor=Auditor(),
            partnership=world.partnership,
            name="Ghost Agency",
            agency_type="other",
        )
    # The record and its audit event are one transaction: neither survives.
    assert not Agency().objects.filter(name="Ghost Agency").exists()
    assert not AuditEvent.objects.exists()


# The hash chain ----------------------------------------------------------------------------


@pytest.fixture
def five_events(world):
    auditor = Auditor(actor=world.user("business_unit"))
    for n in range(5):
        services.agency_create(
            auditor=auditor,
            partnership=world.partnership,
            name=f"Northdale Agency {n}",
            agency_type="education",
        )
    events = events_in_order()
    assert len(events) == 5
    return events


def test_each_event_points_at_the_hash_of_the_one_before(five_events):
    assert [e.sequence for e in five_events] == [1, 2, 3, 4, 5]
    assert five_events[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(five_events):
        assert after.previous_hash == before.hash
    assert len({e.hash for e in five_events}) == 5
    for event in five_events:
        assert event.compute_hash() == event.hash


def test_verify_passes_on_an_intact_log(five_events):
    assert verify_chain().ok
    assert "intact: 5 events checked" in verify_command()


def test_verify_passes_on_an_empty_log(db):
    assert "intact: 0 events checked" in verify_command()


def test_verify_walks_batches(five_events):
    report = verify_chain(batch_size=2)
    assert report.ok and report.checked == 5


def test_verify_fails_when_a_summary_is_altered_in_sql(five_events):
    target = five_events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary=%s WHERE id=%s", ["Nothing to see", target.id]
        )
    with pytest.raises(CommandError, match=r"Event 3 was altered: its content no longer matches"):
        verify_command()


def test_verify_fails_when_a_middle_row_is_deleted_in_sql(five_events):
    removed = five_events[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id=%s", [removed.id])
    with pytest.raises(CommandError) as excinfo:
        verify_command()
    assert "  - Event 3 is missing\n" in f"{excinfo.value}\n"
    assert "(4 events, 0 anchors checked)" in str(excinfo.value)


def test_verify_fails_when_changes_are_altered_in_sql(five_events):
    target = five_events[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET changes=%s WHERE id=%s",
            [json.dumps({"name": [None, "Someone else"]}), target.id],
        )
    with pytest.raises(CommandError, match=r"Event 2 was altered"):
        verify_command()


def test_verify_fails_when_a_row_is_altered_and_rehashed(five_events):
    # Even someone holding the key, who re-seals the altered row, breaks the next link.
    target = five_events[1]
    target.summary = "Rewritten history"
    forged = target.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary=%s, hash=%s WHERE id=%s",
            [target.summary, forged, target.id],
        )
    with pytest.raises(CommandError, match=r"Event 3 does not follow event 2\b"):
        verify_command()


def test_orm_cannot_change_or_remove_events(five_events):
    event = five_events[0]
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.summary = "Rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.count() == 5
    assert verify_chain().ok


# Sign-in events ----------------------------------------------------------------------------


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


def test_sign_in_and_sign_out_are_recorded(world):
    client = Client()
    response = _sign_in(client, "practitioner@example.org", PASSWORD)
    assert response.status_code == 302
    login = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert login.actor == world.user("practitioner")
    assert login.ip_address == "127.0.0.1"

    client.post(reverse("accounts:logout"))
    logout = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGOUT)
    assert logout.actor == world.user("practitioner")
    assert verify_chain().ok


def test_failed_sign_in_is_recorded_without_the_password_tried(world, caplog):
    tried = "Guess-Sentinel-7781-password"
    response = _sign_in(Client(), "practitioner@example.org", tried)
    assert response.status_code == 200

    failed = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert "practitioner@example.org" in failed.summary
    assert failed.actor is None and failed.actor_label == "system: sign-in"
    assert tried not in all_log_text()
    assert tried not in caplog.text


def test_lockout_is_recorded(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        _sign_in(client, "practitioner@example.org", "wrong-password-000")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).count() == 3
    lockout = AuditEvent.objects.get(kind=AuditEvent.Kind.LOCKOUT)
    assert "practitioner@example.org" in lockout.summary
    assert "wrong-password-000" not in all_log_text()


def test_an_anonymous_forbidden_response_goes_to_the_security_log_not_the_audit_log(world, caplog):
    from learninghub.core.security_log import security_log

    security_log.reset()
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level("WARNING", logger="learninghub.security"):
        response = client.post(
            reverse("accounts:login"), {"email": "x@example.org", "password": "x"}
        )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()
    # Who was refused, for security monitoring: in the application log.
    (line,) = [r.getMessage() for r in caplog.records if r.name == "learninghub.security"]
    assert "POST '/account/sign-in/'" in line and "127.0.0.1" in line


def test_a_forbidden_response_to_a_signed_in_person_names_them(world, client_for):
    client = client_for("practitioner")
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    denied = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert denied.actor == world.user("practitioner")


# Reading the log ---------------------------------------------------------------------------


def test_history_for_returns_only_that_records_events(world):
    auditor = Auditor(actor=world.user("business_unit"))
    services.agency_update(
        auditor=auditor, agency=world.agency, name="Renamed", agency_type="police", is_active=True
    )
    services.agency_update(
        auditor=Auditor(actor=world.user("other_business_unit")),
        agency=world.other_agency,
        name="Eastmoor Renamed",
        agency_type="police",
        is_active=True,
    )
    services.agency_update(
        auditor=auditor, agency=world.agency, name="Renamed", agency_type="police", is_active=False
    )

    history = list(audit_history_for(world.agency))
    assert [e.changes for e in history] == [
        {"is_active": [True, False]},
        {"name": ["Northdale Police", "Renamed"]},
    ]
    assert all(e.object_id == str(world.agency.pk) for e in history)


@pytest.fixture
def two_partnerships_of_events(world):
    services.agency_create(
        auditor=Auditor(actor=world.user("business_unit")),
        partnership=world.partnership,
        name="Northdale Hospice",
        agency_type="voluntary_sector",
    )
    services.agency_create(
        auditor=Auditor(actor=world.user("other_business_unit")),
        partnership=world.other_partnership,
        name="Eastmoor College",
        agency_type="education",
    )
    SYSTEM.record(AuditEvent.Kind.ACTION, action="system.nightly", summary="Nightly reminders")
    return world


def test_search_is_scoped_to_the_partnerships_given(two_partnerships_of_events):
    world = two_partnerships_of_events
    own = list(audit_search(partnership_ids=[world.partnership.pk]))
    assert [e.summary for e in own] == ["Added the agency Northdale Hospice"]
    other = list(audit_search(partnership_ids=[world.other_partnership.pk]))
    assert [e.summary for e in other] == ["Added the agency Eastmoor College"]
    assert list(audit_search(partnership_ids=[])) == []
    # None is the system administrator's view: every partnership and the system's own jobs.
    assert audit_search(partnership_ids=None).count() == 3


@pytest.mark.usefixtures("frozen_clock")  # the events and "today" must share a day
def test_search_filters_by_text_kind_and_date(two_partnerships_of_events):
    world = two_partnerships_of_events
    both = [world.partnership.pk, world.other_partnership.pk]
    assert [e.object_repr for e in audit_search(partnership_ids=both, text="college")] == [
        "Eastmoor College"
    ]
    assert audit_search(partnership_ids=both, text="other.bu@").count() == 1
    assert audit_search(partnership_ids=None, kind="action").get().action == "system.nightly"
    assert audit_search(partnership_ids=both, kind="delete").count() == 0
    today = timezone.localdate()
    assert audit_search(partnership_ids=both, date_from=today, date_to=today).count() == 2
    assert audit_search(partnership_ids=both, date_from=today + timedelta(days=1)).count() == 0
    assert audit_search(partnership_ids=both, date_to=today - timedelta(days=1)).count() == 0
    newest_first = list(audit_search(partnership_ids=both))
    assert newest_first[0].id > newest_first[1].id
