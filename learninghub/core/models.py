from .audit.models import AuditEvent
from .ratelimit.models import RateLimitHit
from .taxonomy.models import Theme

__all__ = ["AuditEvent", "RateLimitHit", "Theme"]
