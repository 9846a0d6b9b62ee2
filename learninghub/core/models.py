from .audit.models import AuditEvent

__all__ = ["AuditEvent"]
