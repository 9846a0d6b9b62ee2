"""Shared pieces for pages that show the audit log."""

from .models import AuditEvent

AUDIT_KINDS = AuditEvent.Kind.choices
