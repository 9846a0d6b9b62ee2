"""The one way anything is written to the audit log.

Services build an `Auditor` from the request (or name the system job acting) and call it
inside their transaction, so the record and its audit event commit or fail together. An
auditor with neither a user nor a named system job refuses to write: nothing changes
anonymously.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ..client_address import client_ip as client_ip  # one reading of it, shared with lockout
from .models import AuditEvent
from .seal import GENESIS_HASH as GENESIS_HASH  # where callers have always imported it

CHAIN_RETRIES = 5
REDACTED = "[redacted]"
# Never written to the log, whatever the model: secrets and anything that identifies a child.
ALWAYS_REDACTED = frozenset(
    {
        "password",
        "token",
        "token_hash",
        "key",
        "key_hash",
        "secret",
        "otp_secret",
        "recovery_codes",
        "identifiers",
    }
)


class AnonymousAuditError(ValueError):
    """Raised when a write is attempted without a person or a named system job."""


@dataclass(frozen=True)
class Auditor:
    actor: Any = None
    system: str | None = None
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request) -> Auditor:
        user = getattr(request, "user", None)
        return cls(
            actor=user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
        )

    @classmethod
    def for_system(cls, job: str) -> Auditor:
        return cls(system=job)

    @property
    def label(self) -> str:
        if self.actor is not None:
            return self.actor.get_username()
        if self.system:
            return f"system: {self.system}"
        raise AnonymousAuditError("An audited write needs a user or a named system job")

    # Writes -----------------------------------------------------------------------------

    def created(self, obj: models.Model, *, action: str, summary: str, fields: Iterable[str] = ()):
        changes = {f: [None, _value(getattr(obj, f))] for f in fields}
        return self.record(
            AuditEvent.Kind.CREATE, action=action, summary=summary, obj=obj, changes=changes
        )

    def updated(
        self,
        obj: models.Model,
        *,
        action: str,
        summary: str,
        before: Mapping[str, Any],
        secret_fields: Iterable[str] = (),
    ):
        """Record the fields whose values changed since `before` (a `snapshot` of the object)."""
        after = snapshot(obj, before.keys())
        changes = {
            f: [before[f], after[f]] for f in before if _value(before[f]) != _value(after[f])
        }
        return self.record(
            AuditEvent.Kind.UPDATE,
            action=action,
            summary=summary,
            obj=obj,
            changes=changes,
            secret_fields=secret_fields,
        )

    def deleted(self, obj: models.Model, *, action: str, summary: str):
        return self.record(AuditEvent.Kind.DELETE, action=action, summary=summary, obj=obj)

    def read(self, obj: models.Model, *, action: str, summary: str):
        """Every read of restricted material is logged (design.md, Visibility)."""
        return self.record(AuditEvent.Kind.READ, action=action, summary=summary, obj=obj)

    def read_list(self, *, action: str, summary: str, partnership_ids):
        """A list of restricted records was shown: one event for each partnership's log."""
        self.record_many(
            Entry(AuditEvent.Kind.READ, action=action, summary=summary, partnership_id=pid)
            for pid in sorted(set(partnership_ids))
        )

    def sign_in_failed(self, obj: models.Model, *, action: str, summary: str):
        return self.record(AuditEvent.Kind.LOGIN_FAILED, action=action, summary=summary, obj=obj)

    def record(
        self,
        kind: str,
        *,
        action: str,
        summary: str,
        obj: models.Model | None = None,
        changes: Mapping[str, Any] | None = None,
        partnership_id: int | None = None,
        secret_fields: Iterable[str] = (),
    ) -> AuditEvent:
        return append(
            self._event(
                Entry(
                    kind,
                    action=action,
                    summary=summary,
                    obj=obj,
                    changes=changes,
                    partnership_id=partnership_id,
                    secret_fields=secret_fields,
                )
            )
        )

    def record_many(self, entries: Iterable[Entry]) -> list[AuditEvent]:
        """Record many events as one unbroken run of the chain, in a few queries.

        For bulk work (an import of hundreds of rows): one event per row, as `record` would
        write them, but numbered and sealed together and saved in one insert rather than one
        round trip per event.
        """
        return append_many([self._event(entry) for entry in entries])

    def _event(self, entry: Entry) -> AuditEvent:
        label = self.label
        obj = entry.obj
        redact = ALWAYS_REDACTED | set(entry.secret_fields) | set(getattr(obj, "audit_redact", ()))
        clean = {
            name: ([REDACTED, REDACTED] if name in redact else [_value(old), _value(new)])
            for name, (old, new) in (entry.changes or {}).items()
        }
        partnership_id = entry.partnership_id
        if partnership_id is None and obj is not None:
            partnership_id = _partnership_id(obj)
        content = {
            "occurred_at": timezone.now(),
            "kind": entry.kind,
            "action": entry.action,
            "summary": entry.summary[:300],
            "actor": self.actor,
            "actor_label": label,
            "partnership_id": partnership_id,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            # `audit_repr` on the instance stands in for str(obj) when that must not be
            # logged (text saved despite the anonymity check).
            "object_repr": str(getattr(obj, "audit_repr", None) or obj)[:200]
            if obj is not None
            else "",
            "scope": getattr(obj, "audit_scope", "") if obj is not None else "",
            "changes": json.loads(json.dumps(clean, cls=DjangoJSONEncoder)),
            "ip_address": self.ip_address,
        }
        return AuditEvent(**content)


@dataclass(frozen=True)
class Entry:
    """One event for `Auditor.record_many`, with the same arguments as `Auditor.record`."""

    kind: str
    action: str
    summary: str
    obj: models.Model | None = None
    changes: Mapping[str, Any] | None = None
    partnership_id: int | None = None
    secret_fields: Iterable[str] = ()


def append(event: AuditEvent) -> AuditEvent:
    """Number, seal and save an unsaved event as the new head of the chain."""
    return append_many([event])[0]


def append_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Number, seal and save unsaved events, in order, as the new head of the chain."""
    if not events:
        return events
    # sequence and previous_hash are both unique, so two events can never claim the same
    # place: a concurrent append loses the race with an IntegrityError and tries again on top.
    for attempt in range(CHAIN_RETRIES):
        try:
            with transaction.atomic():
                head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash")
                sequence, previous = head.first() or (0, GENESIS_HASH)
                for event in events:
                    sequence += 1
                    event.sequence = sequence
                    event.previous_hash = previous
                    event.hash = previous = event.compute_hash()
                if len(events) == 1:
                    events[0].save()
                else:
                    AuditEvent.objects.bulk_create(events)
            return events
        except IntegrityError:
            for event in events:
                event.pk = None
            if attempt == CHAIN_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: _value(getattr(obj, f)) for f in fields}


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "label") and hasattr(value, "value"):
        return str(value.value)
    return value


def _partnership_id(obj: models.Model) -> int | None:
    """Which partnership an event belongs to, so each business unit reads only its own."""
    if obj._meta.label_lower == "partnerships.partnership":
        return obj.pk
    if hasattr(obj, "audit_partnership_id"):
        return obj.audit_partnership_id
    return getattr(obj, "partnership_id", None)
