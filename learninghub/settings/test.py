"""The test suite (SQLite by default; PostgreSQL when DATABASE_URL is set)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import TASKS, env

SECRET_KEY = "test-only-not-secret-" + "x" * 40
FIELD_ENCRYPTION_KEY = "test-only-field-key"
AUDIT_LOG_KEY = env("AUDIT_LOG_KEY", "test-only-audit-key")
# Never var/: each test gets its own anchor file (the autouse fixture in conftest.py).
AUDIT_ANCHOR_FILE = Path(tempfile.gettempdir()) / "learninghub-test" / "audit-anchors.log"
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Argon2 stays the production hasher (asserted in tests); MD5 keeps the suite fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Whatever the environment says: the suite never sends through GOV.UK Notify for real.
NOTIFY_BACKEND = "smtp"
TASKS = {**TASKS, "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_DATA_ALLOWED = True
