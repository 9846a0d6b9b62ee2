"""`Auditor.record_many`: bulk work (imports) writes its events as one run of the chain.

Each event is numbered and sealed exactly as `record` would, so the chain verifies after a
bulk write, but the whole batch costs a constant number of queries instead of one round trip
(and one head read) per event.
"""

from __future__ import annotations

from learninghub.core.audit.auditor import Auditor, Entry
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.verify import verify_chain

SYSTEM = Auditor.for_system("test import")


def entries(count: int) -> list[Entry]:
    return [
        Entry(AuditEvent.Kind.CREATE, action="test.import", summary=f"Imported row {n}")
        for n in range(count)
    ]


def test_a_bulk_write_keeps_the_chain_verifiable_and_contiguous(db):
    SYSTEM.record(AuditEvent.Kind.ACTION, action="test.before", summary="Before the import")
    SYSTEM.record_many(entries(25))
    SYSTEM.record(AuditEvent.Kind.ACTION, action="test.after", summary="After the import")

    report = verify_chain()
    assert report.ok
    assert report.checked == report.sealed == 27
    rows = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "summary"))
    assert [sequence for sequence, _ in rows] == list(range(1, 28))
    assert [summary for _, summary in rows[1:-1]] == [f"Imported row {n}" for n in range(25)]


def test_events_read_back_exactly_as_record_would_write_them(db, django_user_model):
    [event] = SYSTEM.record_many(
        [
            Entry(
                AuditEvent.Kind.UPDATE,
                action="test.change",
                summary="Changed a setting",
                changes={"colour": ["red", "blue"], "password": ["old", "new"]},
                partnership_id=7,
            )
        ]
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_label == "system: test import"
    assert stored.partnership_id == 7
    assert stored.changes == {"colour": ["red", "blue"], "password": ["[redacted]"] * 2}
    assert stored.compute_hash() == stored.hash


def test_a_bulk_write_costs_a_constant_number_of_queries(db, django_assert_max_num_queries):
    SYSTEM.record_many(entries(1))  # a head to build on
    # One by one, 50 events cost at least 100 queries (a head read and an insert each).
    with django_assert_max_num_queries(5):
        SYSTEM.record_many(entries(50))
    assert verify_chain().ok


def test_nothing_to_record_writes_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert SYSTEM.record_many([]) == []


def test_a_list_read_records_one_event_per_partnership_in_one_batch(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        SYSTEM.read_list(action="test.list", summary="Listed cases", partnership_ids=[3, 1, 3, 2])
    events = AuditEvent.objects.order_by("sequence")
    assert [e.partnership_id for e in events] == [1, 2, 3]
    assert verify_chain().ok
