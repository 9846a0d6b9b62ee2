"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403
from .base import env

# Off unless asked for (DEBUG=1): the demo shows the GOV.UK error pages people will see.
DEBUG = env("DEBUG", "0") == "1"
SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "dev-only-field-key-not-for-production")
AUDIT_LOG_KEY = env("AUDIT_LOG_KEY", "dev-only-audit-key-not-for-production")
DEMO_DATA_ALLOWED = True
# `make run` serves on PORT; links in emails point there.
PORT = env("PORT", "8000")
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{PORT}")
# With DEBUG off Django serves no static files: whitenoise serves them straight from the apps
# and build/static, so the demo needs no `collectstatic`.
WHITENOISE_USE_FINDERS = True
