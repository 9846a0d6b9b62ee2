"""The audit event for publishing despite the anonymity check.

It records what kinds of thing were found and the reason given, never the identifying text
itself: the audit log is read more widely than the case's identifiers are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models

from ..audit.auditor import Auditor
from ..audit.models import AuditEvent
from .matching import Match

ACTION = "core.anonymity.override"


def audit_override(
    auditor: Auditor,
    obj: models.Model | None,
    matches: Iterable[Match] | Mapping[str, Iterable[Match]],
    reason: str,
    *,
    summary: str = "Saved despite the anonymity check",
) -> AuditEvent:
    """Record that someone overrode the check, with their reason. Call it inside the service's
    transaction, next to the write it explains. `matches` is a list, or the form's
    `anonymity_matches` (field name to matches)."""
    if isinstance(matches, Mapping):
        fields = sorted(name for name, found in matches.items() if found)
        found = [m for group in matches.values() for m in group]
    else:
        fields = []
        found = list(matches)
    kinds = sorted({m.kind for m in found})
    labels = sorted({m.label for m in found})
    changes = {
        "anonymity_found": [None, "; ".join(labels)],
        "anonymity_kinds": [None, ", ".join(kinds)],
        "anonymity_override_reason": [None, reason],
    }
    if fields:
        changes["anonymity_fields"] = [None, ", ".join(fields)]
    return auditor.record(
        AuditEvent.Kind.ACTION,
        action=ACTION,
        summary=f"{summary}: it may contain {', '.join(labels) or 'identifying details'}",
        obj=obj,
        changes=changes,
    )
