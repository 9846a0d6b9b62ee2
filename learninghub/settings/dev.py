"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env("DEBUG", "1") == "1"
SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "dev-only-field-key-not-for-production")
DEMO_DATA_ALLOWED = True
