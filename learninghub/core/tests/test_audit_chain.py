"""The audit chain detects truncation and re-chaining (issue 6, finding 2).

Before: deleting the newest events, or deleting one and recomputing the later hashes with the
code's own (unkeyed) function, both verified as intact. Now the chain is numbered without gaps
and sealed with a key kept outside the database, and its head is anchored in an append-only
file that `verify_audit_log` checks the database against.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learninghub.core.audit import anchors
from learninghub.core.audit.auditor import GENESIS_HASH, Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.seal import canonical, key_id
from learninghub.core.audit.verify import verify_chain

SYSTEM = Auditor.for_system("test suite")
LONDON = ZoneInfo("Europe/London")
# 02:00 on a Sunday in London: the time every anchor in these tests is written.
ANCHOR_TIME = datetime(2026, 11, 29, 2, 0, tzinfo=LONDON)


def add_events(count: int) -> None:
    for n in range(count):
        SYSTEM.record(AuditEvent.Kind.ACTION, action="test.event", summary=f"Event number {n}")


def anchor() -> str:
    out = io.StringIO()
    with time_machine.travel(ANCHOR_TIME, tick=False):
        call_command("anchor_audit_log", stdout=out)
    return out.getvalue()


def verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit_log", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        verify(*args)
    assert excinfo.value.returncode == 1  # manage.py exits non-zero
    return str(excinfo.value)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def seal_of(sequence: int) -> str:
    return AuditEvent.objects.get(sequence=sequence).hash


def anchor_lines(settings) -> list[dict]:
    return [json.loads(line) for line in settings.AUDIT_ANCHOR_FILE.read_text().splitlines()]


def rechain_from(sequence: int, forge) -> None:
    """What an attacker with database access does: renumber and re-hash everything after."""
    previous = seal_of(sequence - 1)
    later = AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence")
    for number, event in enumerate(list(later), start=sequence):
        event.sequence, event.previous_hash = number, previous
        event.hash = previous = forge(event)
        sql(
            "UPDATE core_auditevent SET sequence=%s, previous_hash=%s, hash=%s WHERE id=%s",
            [event.sequence, event.previous_hash, event.hash, event.id],
        )


def old_unkeyed_hash(event: AuditEvent) -> str:
    """The hash function the code used before the chain was keyed."""
    return hashlib.sha256((event.previous_hash + canonical(event.content())).encode()).hexdigest()


def guessed_key_hash(event: AuditEvent) -> str:
    return event.compute_hash(key=b"a-guess-at-the-audit-key")


# Truncation ---------------------------------------------------------------------------------


def test_deleting_the_newest_30_events_after_anchoring_names_the_missing_range(db):
    add_events(100)
    anchor()
    anchored = seal_of(100)
    sql("DELETE FROM core_auditevent WHERE sequence > 70")

    message = verify_fails()
    assert (
        "Events 71 to 100 are missing: the anchor written 2026-11-29 02:00 (line 1) records "
        f"event 100 (seal {anchored[:12]}…), but the log ends at event 70"
    ) in message
    assert verify_chain().ok  # the chain alone cannot see it: the anchor does


def test_deleting_every_event_after_anchoring_is_reported(db):
    add_events(3)
    anchor()
    sql("DELETE FROM core_auditevent")
    assert "Events 1 to 3 are missing" in verify_fails()
    assert "but the log is empty" in verify_fails()


def test_a_range_deleted_from_the_middle_is_named(db):
    add_events(100)
    sql("DELETE FROM core_auditevent WHERE sequence BETWEEN 41 AND 70")
    message = verify_fails()
    assert "  - Events 41 to 70 are missing\n" in f"{message}\n"
    assert "(70 events, 0 anchors checked)" in message
    # In constant memory: batches smaller than the gap find the same thing.
    assert verify_chain(batch_size=7).problems == ["Events 41 to 70 are missing"]


# Re-chaining --------------------------------------------------------------------------------


@pytest.mark.parametrize("forge", [old_unkeyed_hash, guessed_key_hash], ids=["unkeyed", "guess"])
def test_deleting_one_event_and_rechaining_without_the_key_fails(db, forge):
    add_events(10)
    anchor()
    sql("DELETE FROM core_auditevent WHERE sequence = 3")
    rechain_from(3, forge)  # numbers 1 to 9 again, every link consistent

    message = verify_fails()
    assert "Events 3 to 9 were altered: their content no longer matches their HMAC seal" in message
    assert "Event 10 is missing: the anchor written 2026-11-29 02:00 (line 1)" in message


def test_rechaining_with_the_key_is_still_caught_by_the_anchor(db):
    # Someone who has the key as well as the database can re-seal history; what they cannot
    # do is rewrite the anchors kept outside it.
    add_events(6)
    anchor()
    anchored = seal_of(6)
    sql("UPDATE core_auditevent SET summary=%s WHERE sequence=4", ["Nothing happened"])
    rechain_from(4, lambda event: event.compute_hash())

    assert verify_chain().ok
    message = verify_fails()
    assert (
        f"Event 6 was altered: its seal differs from the anchor written 2026-11-29 02:00 "
        f"(line 1) (anchored {anchored[:12]}…, now {seal_of(6)[:12]}…)"
    ) in message


def test_an_anchored_event_altered_in_sql_is_named(db):
    add_events(5)
    anchor()
    sql("UPDATE core_auditevent SET summary=%s WHERE sequence=5", ["Rewritten"])
    message = verify_fails()
    assert "Event 5 was altered: its content no longer matches its HMAC seal" in message


def test_an_anchored_event_deleted_in_the_middle_is_named(db):
    add_events(3)
    anchor()
    add_events(3)
    sql("DELETE FROM core_auditevent WHERE sequence = 3")
    message = verify_fails()
    assert "  - Event 3 is missing\n" in message
    assert "Event 3 is missing: the anchor written 2026-11-29 02:00 (line 1) records it" in message


def test_a_wrong_key_is_named_as_such(db, settings):
    add_events(4)
    anchor()
    written_with = key_id()
    settings.AUDIT_LOG_KEY = "not-the-key-the-log-was-sealed-with"

    message = verify_fails()
    assert (
        "No event matches its HMAC seal under the configured AUDIT_LOG_KEY (4 checked): "
        "AUDIT_LOG_KEY is not the key this log was sealed with"
    ) in message
    assert f"different AUDIT_LOG_KEY (key id {written_with}) from the one configured" in message
    assert "were altered" not in message


def test_without_a_key_nothing_is_written_and_nothing_verifies(db, settings):
    add_events(1)
    settings.AUDIT_LOG_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_LOG_KEY is not set"):
        add_events(1)
    assert AuditEvent.objects.count() == 1
    assert "AUDIT_LOG_KEY is not set" in verify_fails()
    with pytest.raises(CommandError, match="Not anchored: AUDIT_LOG_KEY is not set"):
        anchor()
    assert not settings.AUDIT_ANCHOR_FILE.exists()


# A clean log ----------------------------------------------------------------------------------


def test_a_clean_log_with_anchors_verifies(db):
    add_events(3)
    anchor()
    add_events(4)
    anchor()
    add_events(2)  # not yet anchored: fine, the log is beyond the newest anchor

    out, err = verify("--require-anchors")
    assert "Audit log intact: 9 events checked, 2 anchors checked" in out
    assert "(the newest records event 7)" in out
    assert err == ""


def test_ids_that_skip_do_not_count_as_missing_events(db):
    add_events(2)
    sql("UPDATE core_auditevent SET id = id + 1000 WHERE sequence = 2")  # as PostgreSQL skips
    add_events(1)
    assert verify_chain().ok


# anchor_audit_log ---------------------------------------------------------------------------


def test_anchor_appends_a_line_and_never_overwrites(db, settings):
    path = settings.AUDIT_ANCHOR_FILE
    add_events(2)
    assert "Anchored event 2 (seal" in anchor()
    add_events(3)
    anchor()

    lines = anchor_lines(settings)
    assert [(line["sequence"], line["hash"]) for line in lines] == [
        (2, seal_of(2)),
        (5, seal_of(5)),
    ]
    assert lines[0]["anchored_at"] == "2026-11-29T02:00:00+00:00"
    assert lines[0]["key_id"] == key_id()
    with open(path, "a") as file:  # whatever else a deployment appends stays
        file.write('{"note": "kept"}\n')
    before = path.read_text()
    add_events(1)
    anchor()
    assert path.read_text().startswith(before)
    assert len(path.read_text().splitlines()) == 4


def test_anchor_again_with_nothing_new_writes_nothing(db, settings):
    add_events(2)
    anchor()
    assert "Already anchored: event 2 is still the newest" in anchor()
    assert len(anchor_lines(settings)) == 1


def test_anchoring_an_empty_log_writes_nothing_and_says_so(db, settings):
    assert "The audit log is empty: there is nothing to anchor yet." in anchor()
    assert not settings.AUDIT_ANCHOR_FILE.exists()


def test_anchor_creates_the_directory_and_logs_the_anchor(db, settings, tmp_path, caplog):
    settings.AUDIT_ANCHOR_FILE = tmp_path / "new" / "dir" / "anchors.log"
    add_events(1)
    with caplog.at_level(logging.INFO, logger="learninghub.audit"):
        anchor()
    line = settings.AUDIT_ANCHOR_FILE.read_text().strip()
    records = [r for r in caplog.records if r.name == "learninghub.audit"]
    assert [r.levelno for r in records] == [logging.INFO]
    assert line in records[0].getMessage()


def test_anchor_refuses_to_vouch_for_a_truncated_log(db, settings):
    add_events(5)
    anchor()
    sql("DELETE FROM core_auditevent WHERE sequence > 3")

    with pytest.raises(CommandError, match="Not anchored: Events 4 to 5 are missing"):
        anchor()
    assert len(anchor_lines(settings)) == 1


def test_anchor_refuses_when_every_event_was_deleted(db, settings):
    add_events(3)
    anchor()
    sql("DELETE FROM core_auditevent")
    with pytest.raises(CommandError, match=r"Events 1 to 3 are missing.*the log is empty"):
        anchor()
    assert len(anchor_lines(settings)) == 1


def test_anchor_refuses_when_events_since_the_last_anchor_were_altered(db, settings):
    add_events(2)
    anchor()
    add_events(2)
    sql("UPDATE core_auditevent SET summary=%s WHERE sequence=3", ["Rewritten"])
    with pytest.raises(CommandError, match="since event 2 does not verify: Event 3 was altered"):
        anchor()
    assert len(anchor_lines(settings)) == 1


def test_the_first_anchor_checks_the_whole_chain(db, settings):
    add_events(3)
    sql("UPDATE core_auditevent SET summary=%s WHERE sequence=1", ["Rewritten"])
    with pytest.raises(CommandError, match="Event 1 was altered"):
        anchor()
    assert not settings.AUDIT_ANCHOR_FILE.exists() or not anchor_lines(settings)


# verify_audit_log and the anchor file ---------------------------------------------------------


def test_a_missing_anchor_file_is_a_warning_unless_anchors_are_required(db, settings):
    add_events(2)
    out, err = verify()
    assert "Audit log intact: 2 events checked, 0 anchors checked" in out
    assert f"Warning: No anchor file at {settings.AUDIT_ANCHOR_FILE}" in err
    assert "deleting the newest events would go unnoticed" in err

    message = verify_fails("--require-anchors")
    assert f"No anchor file at {settings.AUDIT_ANCHOR_FILE}" in message


def test_a_missing_anchor_file_still_checks_the_chain(db):
    add_events(3)
    sql("DELETE FROM core_auditevent WHERE sequence = 2")
    assert "Event 2 is missing" in verify_fails()


def test_a_line_that_is_not_an_anchor_is_reported(db, settings):
    add_events(2)
    anchor()
    with open(settings.AUDIT_ANCHOR_FILE, "a") as file:
        file.write("edited by hand\n")
    message = verify_fails()
    assert "Line 2 of the anchor file" in message
    assert "'edited by hand'" in message


def test_an_anchored_seal_edited_in_the_file_is_reported(db, settings):
    add_events(2)
    anchor()
    path = settings.AUDIT_ANCHOR_FILE
    path.write_text(path.read_text().replace(seal_of(2), "f" * 64))
    assert "Event 2 was altered: its seal differs from the anchor" in verify_fails()


def test_anchors_are_checked_in_batches(db, settings, monkeypatch):
    monkeypatch.setattr(anchors, "_LOOKUP_BATCH", 2)
    for _ in range(5):
        add_events(1)
        anchor()
    sql("UPDATE core_auditevent SET hash=%s WHERE sequence=4", ["e" * 64])
    message = verify_fails()
    assert "(5 events, 5 anchors checked)" in message
    assert "Event 4 was altered: its seal differs from the anchor written" in message


# Upgrading an existing log --------------------------------------------------------------------

MIGRATION = ("core", "0008_audit_sequence_and_keyed_seal")


def _old_hash(event) -> str:
    """The seal before the upgrade, as the previous release computed it."""
    content = {
        "occurred_at": event.occurred_at.astimezone(ZoneInfo("UTC")).isoformat(),
        "kind": event.kind,
        "action": event.action,
        "summary": event.summary,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "partnership_id": event.partnership_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "ip_address": event.ip_address,
    }
    if event.scope:
        content["scope"] = event.scope
    return hashlib.sha256((event.previous_hash + canonical(content)).encode()).hexdigest()


def _old_event(AuditEvent, previous: str, summary: str, scope: str = ""):
    event = AuditEvent(
        occurred_at=ANCHOR_TIME,
        kind="action",
        action="test.old",
        summary=summary,
        actor_label="system: before the upgrade",
        scope=scope,
        changes={"name": [None, summary]},
        previous_hash=previous,
    )
    event.hash = _old_hash(event)
    event.save()
    return event


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upgrade_numbers_and_reseals_an_existing_log(monkeypatch):
    executor = MigrationExecutor(connection)
    before = next(iter(executor.loader.graph.node_map[MIGRATION].parents)).key
    # Every app's leaf: going back to core 0007 also unapplies later apps' migrations on it.
    leaf = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        OldEvent = old_apps.get_model("core", "AuditEvent")
        previous = GENESIS_HASH
        for n, scope in enumerate(["", "reviews.case:1", "", "reviews.case:2"]):
            previous = _old_event(OldEvent, previous, f"Old event {n}", scope).hash
        sql("DELETE FROM core_auditevent WHERE summary = %s", ["Old event 1"])  # a break

        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match="already broken before this upgrade"):
            executor.migrate(leaf)

        monkeypatch.setenv("AUDIT_RESEAL_BROKEN_LOG", "1")  # investigated: re-seal anyway
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
        events = list(AuditEvent.objects.order_by("id"))
        assert [e.sequence for e in events] == [1, 2, 3]
        assert [e.summary for e in events] == ["Old event 0", "Old event 2", "Old event 3"]
        assert verify_chain().ok
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upgrade_of_an_intact_log_verifies_and_can_be_reversed():
    executor = MigrationExecutor(connection)
    before = next(iter(executor.loader.graph.node_map[MIGRATION].parents)).key
    # Every app's leaf: going back to core 0007 also unapplies later apps' migrations on it.
    leaf = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    try:
        OldEvent = executor.loader.project_state([before]).apps.get_model("core", "AuditEvent")
        previous = GENESIS_HASH
        for n in range(5):
            previous = _old_event(OldEvent, previous, f"Old event {n}", "reviews.case:9").hash
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
        assert [e.sequence for e in AuditEvent.objects.order_by("id")] == [1, 2, 3, 4, 5]
        assert verify_chain().ok
        add_events(1)
        assert verify_chain().checked == 6

        executor = MigrationExecutor(connection)
        executor.migrate([before])  # back to the unkeyed chain, which still verifies as before
        OldEvent = executor.loader.project_state([before]).apps.get_model("core", "AuditEvent")
        previous = GENESIS_HASH
        for event in OldEvent.objects.order_by("id"):
            assert event.previous_hash == previous
            assert event.hash == _old_hash(event)
            previous = event.hash
        assert OldEvent.objects.count() == 6
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
