from .audit.models import AuditEvent
from .deadlines.models import ReminderRun
from .files.models import FileVersion, StoredFile
from .ratelimit.models import RateLimitHit
from .taxonomy.models import Theme

__all__ = ["AuditEvent", "FileVersion", "RateLimitHit", "ReminderRun", "StoredFile", "Theme"]
