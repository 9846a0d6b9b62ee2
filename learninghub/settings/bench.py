"""The load benchmark (`make bench`): production's stack on loopback, against its own database.

Everything production runs stays on (DEBUG off, every security middleware, Argon2, session
and two-factor rules). Only what plain HTTP on 127.0.0.1 cannot have is left out: the HTTPS
redirect, HSTS and secure-only cookies. The database is a separate one, never the app's own:
`BENCH_DATABASE_URL` (SQLite or PostgreSQL), by default var/bench/bench.sqlite3.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, database_config, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "bench-only-field-key-not-for-production")
AUDIT_LOG_KEY = env("AUDIT_LOG_KEY", "bench-only-audit-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

BENCH_DATABASE_URL = env("BENCH_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'bench' / 'bench.sqlite3'}"
DATABASES = {"default": database_config(BENCH_DATABASE_URL)}

# 404s and other expected warnings are not worth a log line per request under load.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
DEMO_DATA_ALLOWED = True
# The signed-in layout floor (/bench/layout-floor): a baseline page routed only here.
BENCH_FLOOR_PAGE = True
