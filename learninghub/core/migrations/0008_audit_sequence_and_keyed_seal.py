"""Number the audit events and re-seal the chain with the HMAC key (issue 6, finding 2).

Until now each event carried a plain SHA-256 of the previous hash and its content, which
anyone able to write to the table could recompute after deleting or editing a row. This
numbers the existing events 1, 2, 3… in the order they were written (by id) and seals each
with HMAC-SHA256 under settings.AUDIT_LOG_KEY, which lives outside the database.

The old chain is checked first: re-sealing a chain that is already broken would hide the
break for good. If it is broken the migration stops and says where; once that has been
investigated, AUDIT_RESEAL_BROKEN_LOG=1 re-seals it anyway (and the warning says what was
accepted).

The hashing is copied here, not imported, so this migration keeps doing what it did the day it
was written whatever later becomes of the model.
"""

import hashlib
import hmac
import json
import logging
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

GENESIS_HASH = "0" * 64
BATCH = 1000
logger = logging.getLogger("learninghub.audit")


def _canonical(content):
    return json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))


def _content(event):
    return {
        "occurred_at": event.occurred_at.isoformat(),
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


def _unkeyed_hash(event):
    """The seal before this migration: SHA-256, no sequence, scope only when set."""
    content = _content(event)
    if event.scope:
        content["scope"] = event.scope
    return hashlib.sha256((event.previous_hash + _canonical(content)).encode()).hexdigest()


def _keyed_hash(event, key):
    content = {**_content(event), "sequence": event.sequence, "scope": event.scope}
    message = (event.previous_hash + _canonical(content)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _events(apps):
    # The model's manager refuses every update so that nothing can rewrite history. Numbering
    # and re-sealing the whole chain once, at this upgrade, after checking it is intact, is
    # the one legitimate exception, so this goes round the guard with a plain QuerySet.
    return models.QuerySet(model=apps.get_model("core", "AuditEvent"))


def _in_batches(events, order):
    last = None
    while True:
        page = events.order_by(order)
        if last is not None:
            page = page.filter(**{f"{order}__gt": last})
        batch = list(page[:BATCH])
        if not batch:
            return
        yield batch
        last = getattr(batch[-1], order)


def reseal(apps, schema_editor):
    events = _events(apps)
    if not events.exists():
        return
    key = getattr(settings, "AUDIT_LOG_KEY", None)
    if not key:
        raise ImproperlyConfigured(
            "AUDIT_LOG_KEY must be set before migrating: the existing audit log is re-sealed "
            "with it. Keep the same key from now on, outside the database."
        )
    key = key.encode()
    accept_broken = os.environ.get("AUDIT_RESEAL_BROKEN_LOG", "") == "1"
    broken = []
    old_previous = new_previous = GENESIS_HASH
    sequence = 0
    for batch in _in_batches(events, "id"):
        for event in batch:
            if event.previous_hash != old_previous:
                broken.append(f"event id {event.id} does not follow the event before it")
            elif _unkeyed_hash(event) != event.hash:
                broken.append(f"event id {event.id} was altered")
            if broken and not accept_broken:
                raise RuntimeError(
                    f"The audit log was already broken before this upgrade: {broken[0]}. "
                    "Re-sealing it would hide that. Investigate with the previous release's "
                    "`manage.py verify_audit_log`; to re-seal it anyway, set "
                    "AUDIT_RESEAL_BROKEN_LOG=1 and migrate again."
                )
            old_previous = event.hash
            sequence += 1
            event.sequence = sequence
            event.previous_hash = new_previous
            event.hash = new_previous = _keyed_hash(event, key)
        events.bulk_update(batch, ["sequence", "previous_hash", "hash"])
    if broken:
        logger.warning(
            "Audit log re-sealed despite %s break(s) found before the upgrade "
            "(AUDIT_RESEAL_BROKEN_LOG=1): %s",
            len(broken),
            "; ".join(broken[:20]),
        )


def unseal(apps, schema_editor):
    """Back to the unkeyed chain the previous release verifies, in sequence order."""
    previous = GENESIS_HASH
    events = _events(apps)
    for batch in _in_batches(events, "sequence"):
        for event in batch:
            event.previous_hash = previous
            event.hash = previous = _unkeyed_hash(event)
        events.bulk_update(batch, ["previous_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_rate_limit_hit"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(reseal, unseal),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True),
        ),
    ]
