from .audit.models import AuditEvent
from .taxonomy.models import Theme

__all__ = ["AuditEvent", "Theme"]
