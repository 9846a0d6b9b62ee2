from .audit.models import AuditEvent
from .deadlines.models import ReminderRun
from .files.models import FileVersion, StoredFile
from .ratelimit.models import RateLimitHit
from .spreadsheets.models import ImportUpload
from .taxonomy.models import Theme

__all__ = [
    "AuditEvent",
    "FileVersion",
    "ImportUpload",
    "RateLimitHit",
    "ReminderRun",
    "StoredFile",
    "Theme",
]
