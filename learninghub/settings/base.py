"""Settings shared by every environment. Configuration comes from the environment only."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
SERVICE_NAME = "Safeguarding Learning Hub"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "learninghub.core",
    "learninghub.partnerships",
    "learninghub.reviews",
    "learninghub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "learninghub.partnerships.middleware.ChosenPartnershipMiddleware",
    # Before the session and two-factor checks: they tell the person why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "learninghub.core.middleware.SessionTimeoutMiddleware",
    "learninghub.core.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "learninghub.core.middleware.RequestAuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "learninghub.urls"
WSGI_APPLICATION = "learninghub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "learninghub.core.jinja2env.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "learninghub.core.context_processors.service",
            ],
        },
    },
    {
        # The Django admin (system administrators only) keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock
        # at BEGIN so two services never deadlock upgrading a read lock.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnerships.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# ASVS V3: 30 minutes idle, 12 hours absolute, a new session id at login.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "hub_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "hub_csrftoken"
CSRF_FAILURE_VIEW = "learninghub.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# How many reverse proxies of our own stand in front of the app, each appending to
# X-Forwarded-For (learninghub/core/client_address.py). 0: the header is ignored.
if not (env("TRUSTED_PROXY_COUNT") or "0").strip().isdecimal():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number: 0, 1, 2...")
TRUSTED_PROXY_COUNT = int((env("TRUSTED_PROXY_COUNT") or "0").strip())

# django-axes (learninghub/core/lockout.py): within 5 minutes, 10 failures for one account
# from one address, 50 for one account from all addresses together, or 100 from one address
# across all accounts, lock sign-in (for that account there, that account, or from that
# address) for 5 minutes. A stranger elsewhere cannot lock the owner out with 10 guesses.
AXES_FAILURE_LIMIT = 10
LOCKOUT_ACCOUNT_FAILURE_LIMIT = 50
LOCKOUT_ADDRESS_FAILURE_LIMIT = 100
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "learninghub.core.lockout.LockoutHandler"
# Attempts refused while locked are not counted: they would extend the lock for ever and let
# one address push an account to its all-addresses limit.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The audit log's reading of the client address (TRUSTED_PROXY_COUNT), so lockout and audit
# always agree; axes' own AXES_IPWARE_* settings are then not used.
AXES_CLIENT_IP_CALLABLE = "learninghub.core.client_address.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "learninghub.core.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = SERVICE_NAME

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Request size limits: anything larger is refused with a clear message, not a 500.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_SIZE = 20 * 1024 * 1024

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@learninghub.example")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Where notices (every email, learninghub/core/notify) go: "smtp" through EMAIL_BACKEND, or
# "govuk_notify" through GOV.UK Notify, with one Notify email template whose subject is
# ((subject)) and whose message is ((body)).
NOTIFY_BACKEND = env("NOTIFY_BACKEND", "smtp")
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")

# The audit chain is sealed with an HMAC key kept out of the database, so someone who can
# rewrite rows cannot re-seal them. Its head is anchored (`manage.py anchor_audit_log`) in an
# append-only file outside the database, so deleting the newest events is detected too: put
# it on storage the database administrator cannot rewrite (e.g. `chattr +a`, a log host).
AUDIT_LOG_KEY = env("AUDIT_LOG_KEY")
AUDIT_ANCHOR_FILE = Path(env("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log")))

# Demonstration data has published passwords and two-factor secrets: never in production.
DEMO_DATA_ALLOWED = False

PASSWORD_RESET_TIMEOUT = 2 * 3600
INVITATION_VALID_FOR = timedelta(days=7)
EMAIL_CONFIRMATION_VALID_FOR = timedelta(days=2)

# Requests that send email, limited per email address (whether or not it has an account) and
# per client IP address, so nobody can flood an inbox or probe addresses in bulk
# (learninghub/core/ratelimit). A refused request sends nothing and answers 429.
RATE_LIMITS = {
    action: {"per_address": 3, "per_ip": 10, "window": timedelta(hours=1)}
    for action in ("registration", "password_reset", "confirmation_resend")
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Management commands `manage.py run_daily_jobs` runs once each, every day (a systemd timer or
# cron): the reminders' schedule is re-queued if it was ever lost, and the audit head anchored.
DAILY_JOBS = ["schedule_reminders", "anchor_audit_log"]
# A source's day of deadline reminders claimed but not finished this long ago is taken to
# belong to a worker that was killed mid-run: a later run that day takes the claim over and
# sends what is left (learninghub/core/deadlines). Longer than any real run, so that two
# workers never send at once.
DEADLINE_REMINDERS_CLAIM_TIMEOUT = timedelta(hours=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
