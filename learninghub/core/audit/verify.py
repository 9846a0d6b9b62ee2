"""Walks the audit chain and reports the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from .auditor import GENESIS_HASH
from .models import AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    previous = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return ChainReport(checked=checked)
        for event in batch:
            if event.previous_hash != previous:
                return ChainReport(
                    checked,
                    broken_at=event.id,
                    reason="it does not follow the event before it (a row was removed or altered)",
                )
            if event.compute_hash() != event.hash:
                return ChainReport(checked, broken_at=event.id, reason="its content was altered")
            previous = event.hash
            checked += 1
            last_id = event.id
